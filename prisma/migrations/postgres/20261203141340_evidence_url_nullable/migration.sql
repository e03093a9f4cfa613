-- AlterTable
ALTER TABLE "Evidence" ALTER COLUMN "url" DROP NOT NULL;

-- A link refused by the link policy was stored empty while the column was NOT NULL.
UPDATE "Evidence" SET "url" = NULL WHERE "url" = '';
