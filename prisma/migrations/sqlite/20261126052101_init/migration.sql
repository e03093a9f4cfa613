-- CreateTable
CREATE TABLE "Advisory" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "upstreamId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "severity" TEXT,
    "title" TEXT,
    "issuedAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "url" TEXT NOT NULL,
    "cves" TEXT NOT NULL DEFAULT '',
    "fetchedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Package" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "advisoryId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "epoch" INTEGER NOT NULL,
    "version" TEXT NOT NULL,
    "release" TEXT NOT NULL,
    "major" INTEGER NOT NULL,
    "stream" TEXT NOT NULL,
    "minor" TEXT,
    "moduleStream" TEXT,
    CONSTRAINT "Package_advisoryId_fkey" FOREIGN KEY ("advisoryId") REFERENCES "Advisory" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Mirror" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "config" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "Evidence" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "mirrorId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "epoch" INTEGER,
    "version" TEXT NOT NULL,
    "release" TEXT NOT NULL,
    "major" INTEGER NOT NULL,
    "moduleStream" TEXT,
    "ref" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "commitSha" TEXT,
    "firstSeenAt" DATETIME NOT NULL,
    "publishedAt" DATETIME,
    CONSTRAINT "Evidence_mirrorId_fkey" FOREIGN KEY ("mirrorId") REFERENCES "Mirror" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Verdict" (
    "packageId" INTEGER NOT NULL,
    "mirrorId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "lagSeconds" INTEGER,
    "evidenceId" INTEGER,
    "since" DATETIME NOT NULL,
    "evaluatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("packageId", "mirrorId"),
    CONSTRAINT "Verdict_packageId_fkey" FOREIGN KEY ("packageId") REFERENCES "Package" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Verdict_mirrorId_fkey" FOREIGN KEY ("mirrorId") REFERENCES "Mirror" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Verdict_evidenceId_fkey" FOREIGN KEY ("evidenceId") REFERENCES "Evidence" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "VerdictChange" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "packageId" INTEGER NOT NULL,
    "mirrorId" TEXT NOT NULL,
    "fromStatus" TEXT,
    "toStatus" TEXT NOT NULL,
    "lagSeconds" INTEGER,
    "changedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "PollRun" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "sourceId" TEXT NOT NULL,
    "sourceKind" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME,
    "outcome" TEXT NOT NULL,
    "requests" INTEGER NOT NULL DEFAULT 0,
    "notModified" INTEGER NOT NULL DEFAULT 0,
    "bytes" INTEGER NOT NULL DEFAULT 0,
    "items" INTEGER NOT NULL DEFAULT 0,
    "errorKind" TEXT,
    "errorMessage" TEXT
);

-- CreateTable
CREATE TABLE "SourceState" (
    "sourceId" TEXT NOT NULL PRIMARY KEY,
    "sourceKind" TEXT NOT NULL,
    "syncState" TEXT NOT NULL DEFAULT '{}',
    "lastSuccessAt" DATETIME,
    "lastFailureAt" DATETIME,
    "lastErrorKind" TEXT,
    "lastErrorMessage" TEXT,
    "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
    "nextPollAt" DATETIME,
    "progressStep" TEXT,
    "progressDone" INTEGER NOT NULL DEFAULT 0,
    "progressTotal" INTEGER,
    "progressUpdatedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "Advisory_issuedAt_idx" ON "Advisory"("issuedAt");

-- CreateIndex
CREATE INDEX "Package_name_major_idx" ON "Package"("name", "major");

-- CreateIndex
CREATE UNIQUE INDEX "Package_advisoryId_name_epoch_version_release_major_stream_key" ON "Package"("advisoryId", "name", "epoch", "version", "release", "major", "stream");

-- CreateIndex
CREATE INDEX "Evidence_mirrorId_name_major_idx" ON "Evidence"("mirrorId", "name", "major");

-- CreateIndex
CREATE UNIQUE INDEX "Evidence_mirrorId_ref_key" ON "Evidence"("mirrorId", "ref");

-- CreateIndex
CREATE INDEX "Verdict_mirrorId_status_idx" ON "Verdict"("mirrorId", "status");

-- CreateIndex
CREATE INDEX "VerdictChange_packageId_mirrorId_idx" ON "VerdictChange"("packageId", "mirrorId");

-- CreateIndex
CREATE INDEX "VerdictChange_mirrorId_changedAt_idx" ON "VerdictChange"("mirrorId", "changedAt");

-- CreateIndex
CREATE INDEX "PollRun_sourceId_startedAt_idx" ON "PollRun"("sourceId", "startedAt");

-- CreateIndex
CREATE INDEX "PollRun_startedAt_idx" ON "PollRun"("startedAt");
