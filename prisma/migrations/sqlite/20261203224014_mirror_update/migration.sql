-- AlterTable
ALTER TABLE "Verdict" ADD COLUMN "nextChangeAt" DATETIME;

-- CreateTable
CREATE TABLE "MirrorUpdate" (
    "mirrorId" TEXT NOT NULL,
    "advisoryId" TEXT NOT NULL,
    "major" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "statusReason" TEXT,
    "issuedAt" DATETIME NOT NULL,
    "publishedAt" DATETIME,
    "lagSeconds" INTEGER,
    "isPublishedBeforeTracking" BOOLEAN NOT NULL DEFAULT false,
    "isUnchecked" BOOLEAN NOT NULL DEFAULT false,
    "packages" INTEGER NOT NULL,
    "since" DATETIME NOT NULL,
    "nextChangeAt" DATETIME,

    PRIMARY KEY ("mirrorId", "advisoryId", "major"),
    CONSTRAINT "MirrorUpdate_mirrorId_fkey" FOREIGN KEY ("mirrorId") REFERENCES "Mirror" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "MirrorUpdate_advisoryId_fkey" FOREIGN KEY ("advisoryId") REFERENCES "Advisory" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MirrorUpdateCount" (
    "mirrorId" TEXT NOT NULL,
    "major" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "beforeTracking" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("mirrorId", "major", "status"),
    CONSTRAINT "MirrorUpdateCount_mirrorId_fkey" FOREIGN KEY ("mirrorId") REFERENCES "Mirror" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MirrorEvaluation" (
    "mirrorId" TEXT NOT NULL PRIMARY KEY,
    "evaluatedAt" DATETIME NOT NULL,
    "packageIdThrough" INTEGER NOT NULL,
    "evidenceIdThrough" INTEGER NOT NULL,
    "lastSuccessAt" DATETIME,
    "lastCheckedAllAt" DATETIME,
    "nameChecksThrough" DATETIME,
    "wasStale" BOOLEAN NOT NULL,
    "nextChangeAt" DATETIME,
    "configHash" TEXT NOT NULL,
    CONSTRAINT "MirrorEvaluation_mirrorId_fkey" FOREIGN KEY ("mirrorId") REFERENCES "Mirror" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "MirrorUpdate_mirrorId_major_status_issuedAt_idx" ON "MirrorUpdate"("mirrorId", "major", "status", "issuedAt");

-- CreateIndex
CREATE INDEX "MirrorUpdate_mirrorId_major_status_publishedAt_idx" ON "MirrorUpdate"("mirrorId", "major", "status", "publishedAt");

-- CreateIndex
CREATE INDEX "MirrorUpdate_mirrorId_status_issuedAt_idx" ON "MirrorUpdate"("mirrorId", "status", "issuedAt");

-- CreateIndex
CREATE INDEX "MirrorUpdate_mirrorId_nextChangeAt_idx" ON "MirrorUpdate"("mirrorId", "nextChangeAt");

-- CreateIndex
CREATE INDEX "Evidence_mirrorId_id_idx" ON "Evidence"("mirrorId", "id");

-- CreateIndex
CREATE INDEX "MirrorNameCheck_mirrorId_lastCheckedAt_idx" ON "MirrorNameCheck"("mirrorId", "lastCheckedAt");

-- CreateIndex
CREATE INDEX "Verdict_mirrorId_nextChangeAt_idx" ON "Verdict"("mirrorId", "nextChangeAt");
