-- CreateTable
CREATE TABLE "NewestBuild" (
    "mirrorId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "major" INTEGER NOT NULL,
    "evidenceId" INTEGER NOT NULL,

    PRIMARY KEY ("mirrorId", "name", "major"),
    CONSTRAINT "NewestBuild_mirrorId_fkey" FOREIGN KEY ("mirrorId") REFERENCES "Mirror" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "NewestBuild_evidenceId_fkey" FOREIGN KEY ("evidenceId") REFERENCES "Evidence" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- AlterTable (hand-written: SQLite adds a column with a constant default in place; Prisma's generated copy of the
-- table would rewrite every row of SourceState for nothing)
ALTER TABLE "SourceState" ADD COLUMN "newestBuildsThrough" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "NewestBuild_evidenceId_idx" ON "NewestBuild"("evidenceId");
