-- CreateTable
CREATE TABLE "Alert" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "dedupeKey" TEXT NOT NULL,
    "firingKey" TEXT,
    "kind" TEXT NOT NULL,
    "mirrorId" TEXT NOT NULL,
    "major" INTEGER,
    "status" TEXT NOT NULL,
    "severity" TEXT,
    "summary" TEXT NOT NULL,
    "details" TEXT NOT NULL,
    "startsAt" DATETIME NOT NULL,
    "resolvedAt" DATETIME,
    "lastChangedAt" DATETIME NOT NULL,
    "inhibitedById" INTEGER,
    "notifiedAt" DATETIME,
    "lastNotifiedAt" DATETIME
);

-- CreateTable
CREATE TABLE "AlertEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "alertId" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "details" TEXT NOT NULL,
    "notified" BOOLEAN NOT NULL,
    "quietReason" TEXT,
    CONSTRAINT "AlertEvent_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "Alert" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Silence" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "matchers" TEXT NOT NULL,
    "startsAt" DATETIME NOT NULL,
    "endsAt" DATETIME NOT NULL,
    "author" TEXT NOT NULL,
    "comment" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Subscription" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "email" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "delivery" TEXT NOT NULL DEFAULT 'immediate',
    "tokenVersion" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL,
    "confirmedAt" DATETIME,
    "unsubscribedAt" DATETIME,
    "lastDigestAt" DATETIME
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "dedupeKey" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "subscriptionId" INTEGER,
    "alertId" INTEGER,
    "alertEventId" INTEGER,
    "payload" TEXT NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL,
    "lockedUntil" DATETIME,
    "lockedBy" TEXT,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL,
    "sentAt" DATETIME,
    "providerId" TEXT
);

-- CreateTable
CREATE TABLE "RateLimitBucket" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "windowStart" DATETIME NOT NULL,
    "count" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "Alert_firingKey_key" ON "Alert"("firingKey");

-- CreateIndex
CREATE INDEX "Alert_status_kind_idx" ON "Alert"("status", "kind");

-- CreateIndex
CREATE INDEX "Alert_mirrorId_startsAt_idx" ON "Alert"("mirrorId", "startsAt");

-- CreateIndex
CREATE INDEX "Alert_startsAt_idx" ON "Alert"("startsAt");

-- CreateIndex
CREATE INDEX "Alert_dedupeKey_idx" ON "Alert"("dedupeKey");

-- CreateIndex
CREATE INDEX "AlertEvent_alertId_at_idx" ON "AlertEvent"("alertId", "at");

-- CreateIndex
CREATE INDEX "AlertEvent_at_idx" ON "AlertEvent"("at");

-- CreateIndex
CREATE INDEX "Silence_endsAt_idx" ON "Silence"("endsAt");

-- CreateIndex
CREATE INDEX "Subscription_email_idx" ON "Subscription"("email");

-- CreateIndex
CREATE INDEX "Subscription_status_idx" ON "Subscription"("status");

-- CreateIndex
CREATE UNIQUE INDEX "OutboxMessage_dedupeKey_key" ON "OutboxMessage"("dedupeKey");

-- CreateIndex
CREATE INDEX "OutboxMessage_status_nextAttemptAt_idx" ON "OutboxMessage"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_subscriptionId_status_idx" ON "OutboxMessage"("subscriptionId", "status");

-- CreateIndex
CREATE INDEX "OutboxMessage_alertId_idx" ON "OutboxMessage"("alertId");

-- CreateIndex
CREATE INDEX "OutboxMessage_recipient_kind_createdAt_idx" ON "OutboxMessage"("recipient", "kind", "createdAt");
