-- AlterTable
ALTER TABLE "Evidence" ADD COLUMN     "lastAbsentAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Package" ADD COLUMN     "recordedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "SourceState" ADD COLUMN     "lastCheckedAllAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Verdict" ADD COLUMN     "lagTimeOrigin" TEXT,
ADD COLUMN     "publishedAt" TIMESTAMP(3),
ADD COLUMN     "statusReason" TEXT;

-- CreateTable
CREATE TABLE "MirrorNameCheck" (
    "mirrorId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "major" INTEGER NOT NULL,
    "lastCheckedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MirrorNameCheck_pkey" PRIMARY KEY ("mirrorId","name","major")
);

-- CreateIndex
CREATE INDEX "Verdict_mirrorId_status_publishedAt_idx" ON "Verdict"("mirrorId", "status", "publishedAt");

-- AddForeignKey
ALTER TABLE "MirrorNameCheck" ADD CONSTRAINT "MirrorNameCheck_mirrorId_fkey" FOREIGN KEY ("mirrorId") REFERENCES "Mirror"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Builds found after the first look at their name were absent at the poll before: its start is the bound.
UPDATE "Evidence" SET "lastAbsentAt" = (
  SELECT MAX(r."startedAt") FROM "PollRun" r
  WHERE r."sourceId" = "Evidence"."mirrorId" AND r."outcome" IN ('success', 'partial') AND r."startedAt" < "Evidence"."firstSeenAt"
)
WHERE "firstSeenAt" > (SELECT MIN(e."firstSeenAt") FROM "Evidence" e WHERE e."mirrorId" = "Evidence"."mirrorId" AND e."name" = "Evidence"."name");

-- Every package recorded so far has no recordedAt (any poll counts): the last successful poll asked about them all.
UPDATE "SourceState" SET "lastCheckedAllAt" = "lastSuccessAt" WHERE "sourceKind" = 'mirror';
