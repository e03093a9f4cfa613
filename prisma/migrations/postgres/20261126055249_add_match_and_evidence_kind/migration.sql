-- AlterTable
ALTER TABLE "Evidence" ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'tag';

-- AlterTable
ALTER TABLE "Verdict" ADD COLUMN     "matchOutcome" TEXT,
ADD COLUMN     "matchReason" TEXT;
