-- AlterTable
ALTER TABLE "Evidence" ADD COLUMN "publishedAtOrigin" TEXT;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Verdict" (
    "packageId" INTEGER NOT NULL,
    "mirrorId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "lagSeconds" INTEGER,
    "matchOutcome" TEXT,
    "matchReason" TEXT,
    "evidenceId" INTEGER,
    "lagEvidenceId" INTEGER,
    "isTimeSuspect" BOOLEAN NOT NULL DEFAULT false,
    "since" DATETIME NOT NULL,
    "evaluatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("packageId", "mirrorId"),
    CONSTRAINT "Verdict_packageId_fkey" FOREIGN KEY ("packageId") REFERENCES "Package" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Verdict_mirrorId_fkey" FOREIGN KEY ("mirrorId") REFERENCES "Mirror" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Verdict_evidenceId_fkey" FOREIGN KEY ("evidenceId") REFERENCES "Evidence" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Verdict_lagEvidenceId_fkey" FOREIGN KEY ("lagEvidenceId") REFERENCES "Evidence" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Verdict" ("evaluatedAt", "evidenceId", "lagSeconds", "matchOutcome", "matchReason", "mirrorId", "packageId", "since", "status") SELECT "evaluatedAt", "evidenceId", "lagSeconds", "matchOutcome", "matchReason", "mirrorId", "packageId", "since", "status" FROM "Verdict";
DROP TABLE "Verdict";
ALTER TABLE "new_Verdict" RENAME TO "Verdict";
CREATE INDEX "Verdict_mirrorId_status_idx" ON "Verdict"("mirrorId", "status");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

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
