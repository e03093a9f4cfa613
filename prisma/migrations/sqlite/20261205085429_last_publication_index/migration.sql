-- CreateIndex
CREATE INDEX "MirrorUpdate_mirrorId_major_status_isPublishedBeforeTracking_publishedAt_idx" ON "MirrorUpdate"("mirrorId", "major", "status", "isPublishedBeforeTracking", "publishedAt");
