-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Subscription" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "email" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "delivery" TEXT NOT NULL DEFAULT 'immediate',
    "reminders" TEXT NOT NULL DEFAULT 'daily',
    "tokenVersion" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL,
    "confirmedAt" DATETIME,
    "unsubscribedAt" DATETIME,
    "lastDigestAt" DATETIME
);
INSERT INTO "new_Subscription" ("confirmedAt", "createdAt", "delivery", "email", "id", "lastDigestAt", "scope", "status", "tokenVersion", "unsubscribedAt") SELECT "confirmedAt", "createdAt", "delivery", "email", "id", "lastDigestAt", "scope", "status", "tokenVersion", "unsubscribedAt" FROM "Subscription";
DROP TABLE "Subscription";
ALTER TABLE "new_Subscription" RENAME TO "Subscription";
CREATE INDEX "Subscription_email_idx" ON "Subscription"("email");
CREATE INDEX "Subscription_status_createdAt_idx" ON "Subscription"("status", "createdAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
