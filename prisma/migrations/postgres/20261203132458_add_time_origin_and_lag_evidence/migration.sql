-- AlterTable
ALTER TABLE "Evidence" ADD COLUMN     "publishedAtOrigin" TEXT;

-- AlterTable
ALTER TABLE "Verdict" ADD COLUMN     "isTimeSuspect" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "lagEvidenceId" INTEGER;

-- AddForeignKey
ALTER TABLE "Verdict" ADD CONSTRAINT "Verdict_lagEvidenceId_fkey" FOREIGN KEY ("lagEvidenceId") REFERENCES "Evidence"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Backfill: a time stored before origins were kept came from what its mirror's kind could read then
-- (git forges: Pagure's commit-info API only).
UPDATE "Evidence" SET "publishedAtOrigin" = CASE (SELECT "kind" FROM "Mirror" WHERE "Mirror"."id" = "Evidence"."mirrorId")
    WHEN 'git-forge' THEN 'forge_api'
    WHEN 'gitlab' THEN 'forge_api'
    WHEN 'almalinux-errata' THEN 'erratum_date'
    WHEN 'rocky-apollo' THEN 'erratum_date'
    WHEN 'yum-repo' THEN 'erratum_date'
    WHEN 'srpm-index' THEN 'index_date'
END
WHERE "publishedAt" IS NOT NULL;

-- Backfill: a verdict published before now measured its lag to its evidence.
UPDATE "Verdict" SET "lagEvidenceId" = "evidenceId" WHERE "status" = 'published';
