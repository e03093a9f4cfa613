-- AlterTable
ALTER TABLE "SourceState" ADD COLUMN     "newestBuildsThrough" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "NewestBuild" (
    "mirrorId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "major" INTEGER NOT NULL,
    "evidenceId" INTEGER NOT NULL,

    CONSTRAINT "NewestBuild_pkey" PRIMARY KEY ("mirrorId","name","major")
);

-- CreateIndex
CREATE INDEX "NewestBuild_evidenceId_idx" ON "NewestBuild"("evidenceId");

-- AddForeignKey
ALTER TABLE "NewestBuild" ADD CONSTRAINT "NewestBuild_mirrorId_fkey" FOREIGN KEY ("mirrorId") REFERENCES "Mirror"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NewestBuild" ADD CONSTRAINT "NewestBuild_evidenceId_fkey" FOREIGN KEY ("evidenceId") REFERENCES "Evidence"("id") ON DELETE CASCADE ON UPDATE CASCADE;
