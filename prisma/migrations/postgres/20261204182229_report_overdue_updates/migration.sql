-- DropIndex
DROP INDEX "MirrorUpdate_mirrorId_status_issuedAt_advisoryId_idx";

-- AlterTable
ALTER TABLE "MirrorUpdate" ADD COLUMN     "overdueIssuedAt" TIMESTAMP(3);

-- Backfill (hand-written): the Updates overdue now, as core/update/fold-update.ts sets the column from here on.
UPDATE "MirrorUpdate" SET "overdueIssuedAt" = "issuedAt" WHERE "status" IN ('delayed', 'missing');

-- CreateIndex
CREATE INDEX "MirrorUpdate_overdueIssuedAt_advisoryId_mirrorId_idx" ON "MirrorUpdate"("overdueIssuedAt", "advisoryId", "mirrorId");

-- CreateIndex
CREATE INDEX "MirrorUpdate_mirrorId_overdueIssuedAt_advisoryId_idx" ON "MirrorUpdate"("mirrorId", "overdueIssuedAt", "advisoryId");
