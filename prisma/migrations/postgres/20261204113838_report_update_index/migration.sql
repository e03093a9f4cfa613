-- DropIndex
DROP INDEX "MirrorUpdate_mirrorId_status_issuedAt_idx";

-- CreateIndex
CREATE INDEX "MirrorUpdate_mirrorId_status_issuedAt_advisoryId_idx" ON "MirrorUpdate"("mirrorId", "status", "issuedAt", "advisoryId");
