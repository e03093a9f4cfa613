-- AlterTable
ALTER TABLE "PollRun" ADD COLUMN "notes" TEXT;
