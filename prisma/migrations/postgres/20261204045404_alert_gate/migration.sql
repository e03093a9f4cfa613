-- AlterTable
ALTER TABLE "MirrorEvaluation" ADD COLUMN     "changeSeq" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "MirrorAlertEvaluation" (
    "mirrorId" TEXT NOT NULL,
    "evaluatedAt" TIMESTAMP(3) NOT NULL,
    "inputsHash" TEXT NOT NULL,
    "nextChangeAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MirrorAlertEvaluation_pkey" PRIMARY KEY ("mirrorId")
);

-- AddForeignKey
ALTER TABLE "MirrorAlertEvaluation" ADD CONSTRAINT "MirrorAlertEvaluation_mirrorId_fkey" FOREIGN KEY ("mirrorId") REFERENCES "Mirror"("id") ON DELETE CASCADE ON UPDATE CASCADE;
