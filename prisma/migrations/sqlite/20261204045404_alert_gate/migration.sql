-- CreateTable
CREATE TABLE "MirrorAlertEvaluation" (
    "mirrorId" TEXT NOT NULL PRIMARY KEY,
    "evaluatedAt" DATETIME NOT NULL,
    "inputsHash" TEXT NOT NULL,
    "nextChangeAt" DATETIME NOT NULL,
    CONSTRAINT "MirrorAlertEvaluation_mirrorId_fkey" FOREIGN KEY ("mirrorId") REFERENCES "Mirror" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_MirrorEvaluation" (
    "mirrorId" TEXT NOT NULL PRIMARY KEY,
    "evaluatedAt" DATETIME NOT NULL,
    "packageIdThrough" INTEGER NOT NULL,
    "evidenceIdThrough" INTEGER NOT NULL,
    "lastSuccessAt" DATETIME,
    "lastCheckedAllAt" DATETIME,
    "nameChecksThrough" DATETIME,
    "wasStale" BOOLEAN NOT NULL,
    "nextChangeAt" DATETIME,
    "configHash" TEXT NOT NULL,
    "changeSeq" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "MirrorEvaluation_mirrorId_fkey" FOREIGN KEY ("mirrorId") REFERENCES "Mirror" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_MirrorEvaluation" ("configHash", "evaluatedAt", "evidenceIdThrough", "lastCheckedAllAt", "lastSuccessAt", "mirrorId", "nameChecksThrough", "nextChangeAt", "packageIdThrough", "wasStale") SELECT "configHash", "evaluatedAt", "evidenceIdThrough", "lastCheckedAllAt", "lastSuccessAt", "mirrorId", "nameChecksThrough", "nextChangeAt", "packageIdThrough", "wasStale" FROM "MirrorEvaluation";
DROP TABLE "MirrorEvaluation";
ALTER TABLE "new_MirrorEvaluation" RENAME TO "MirrorEvaluation";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
