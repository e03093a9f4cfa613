-- DropIndex
DROP INDEX "MirrorUpdate_mirrorId_major_status_publishedAt_idx";

-- CreateIndex
CREATE INDEX "MirrorUpdate_mirrorId_major_status_isPublishedBeforeTracking_publishedAt_advisoryId_idx" ON "MirrorUpdate"("mirrorId", "major", "status", "isPublishedBeforeTracking", "publishedAt", "advisoryId");
