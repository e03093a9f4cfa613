-- CreateIndex
CREATE INDEX "Advisory_issuedAt_id_idx" ON "Advisory"("issuedAt", "id");
