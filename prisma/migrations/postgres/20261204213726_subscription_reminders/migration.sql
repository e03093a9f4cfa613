-- AlterTable
ALTER TABLE "Subscription" ADD COLUMN     "reminders" TEXT NOT NULL DEFAULT 'daily';
