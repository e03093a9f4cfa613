-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Evidence" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "mirrorId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "epoch" INTEGER,
    "version" TEXT NOT NULL,
    "release" TEXT NOT NULL,
    "major" INTEGER NOT NULL,
    "moduleStream" TEXT,
    "kind" TEXT NOT NULL DEFAULT 'tag',
    "ref" TEXT NOT NULL,
    "url" TEXT,
    "commitSha" TEXT,
    "firstSeenAt" DATETIME NOT NULL,
    "publishedAt" DATETIME,
    "publishedAtOrigin" TEXT,
    CONSTRAINT "Evidence_mirrorId_fkey" FOREIGN KEY ("mirrorId") REFERENCES "Mirror" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Evidence" ("commitSha", "epoch", "firstSeenAt", "id", "kind", "major", "mirrorId", "moduleStream", "name", "publishedAt", "publishedAtOrigin", "ref", "release", "url", "version") SELECT "commitSha", "epoch", "firstSeenAt", "id", "kind", "major", "mirrorId", "moduleStream", "name", "publishedAt", "publishedAtOrigin", "ref", "release", "url", "version" FROM "Evidence";
DROP TABLE "Evidence";
ALTER TABLE "new_Evidence" RENAME TO "Evidence";
CREATE INDEX "Evidence_mirrorId_name_major_idx" ON "Evidence"("mirrorId", "name", "major");
CREATE UNIQUE INDEX "Evidence_mirrorId_ref_key" ON "Evidence"("mirrorId", "ref");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- A link refused by the link policy was stored empty while the column was NOT NULL.
UPDATE "Evidence" SET "url" = NULL WHERE "url" = '';
