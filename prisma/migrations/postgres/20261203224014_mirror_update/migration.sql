-- AlterTable
ALTER TABLE "Verdict" ADD COLUMN     "nextChangeAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "MirrorUpdate" (
    "mirrorId" TEXT NOT NULL,
    "advisoryId" TEXT NOT NULL,
    "major" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "statusReason" TEXT,
    "issuedAt" TIMESTAMP(3) NOT NULL,
    "publishedAt" TIMESTAMP(3),
    "lagSeconds" INTEGER,
    "isPublishedBeforeTracking" BOOLEAN NOT NULL DEFAULT false,
    "isUnchecked" BOOLEAN NOT NULL DEFAULT false,
    "packages" INTEGER NOT NULL,
    "since" TIMESTAMP(3) NOT NULL,
    "nextChangeAt" TIMESTAMP(3),

    CONSTRAINT "MirrorUpdate_pkey" PRIMARY KEY ("mirrorId","advisoryId","major")
);

-- CreateTable
CREATE TABLE "MirrorUpdateCount" (
    "mirrorId" TEXT NOT NULL,
    "major" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "beforeTracking" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "MirrorUpdateCount_pkey" PRIMARY KEY ("mirrorId","major","status")
);

-- CreateTable
CREATE TABLE "MirrorEvaluation" (
    "mirrorId" TEXT NOT NULL,
    "evaluatedAt" TIMESTAMP(3) NOT NULL,
    "packageIdThrough" INTEGER NOT NULL,
    "evidenceIdThrough" INTEGER NOT NULL,
    "lastSuccessAt" TIMESTAMP(3),
    "lastCheckedAllAt" TIMESTAMP(3),
    "nameChecksThrough" TIMESTAMP(3),
    "wasStale" BOOLEAN NOT NULL,
    "nextChangeAt" TIMESTAMP(3),
    "configHash" TEXT NOT NULL,

    CONSTRAINT "MirrorEvaluation_pkey" PRIMARY KEY ("mirrorId")
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

-- AddForeignKey
ALTER TABLE "MirrorUpdate" ADD CONSTRAINT "MirrorUpdate_mirrorId_fkey" FOREIGN KEY ("mirrorId") REFERENCES "Mirror"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MirrorUpdate" ADD CONSTRAINT "MirrorUpdate_advisoryId_fkey" FOREIGN KEY ("advisoryId") REFERENCES "Advisory"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MirrorUpdateCount" ADD CONSTRAINT "MirrorUpdateCount_mirrorId_fkey" FOREIGN KEY ("mirrorId") REFERENCES "Mirror"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MirrorEvaluation" ADD CONSTRAINT "MirrorEvaluation_mirrorId_fkey" FOREIGN KEY ("mirrorId") REFERENCES "Mirror"("id") ON DELETE CASCADE ON UPDATE CASCADE;
