import "server-only";

import type { DbTransaction } from "../db/client";
import { encodePollRunNotes, flattenPollRunReport, type PollRunReport } from "./poll-run-outcome";

/** Closes a PollRun and updates its source's health, inside the poll's own transaction. */
export async function finishPollRun(
  tx: DbTransaction,
  input: { pollRunId: number; sourceId: string; sourceKind: "upstream" | "mirror"; now: Date; report: PollRunReport; syncState?: string },
): Promise<void> {
  const { report, now } = input;
  await tx.pollRun.update({
    where: { id: input.pollRunId },
    data: {
      finishedAt: now,
      ...flattenPollRunReport(report),
      errorMessage: report.errorMessage?.slice(0, 2000) ?? null,
      notes: encodePollRunNotes(report.notes),
    },
  });
  const succeeded = report.outcome !== "failed";
  const health = succeeded
    ? {
        lastSuccessAt: now,
        consecutiveFailures: 0,
        ...(report.outcome === "partial"
          ? { lastFailureAt: now, lastErrorKind: report.errorKind, lastErrorMessage: report.errorMessage }
          : {}),
      }
    : { lastFailureAt: now, lastErrorKind: report.errorKind, lastErrorMessage: report.errorMessage?.slice(0, 2000) ?? null };
  await tx.sourceState.upsert({
    where: { sourceId: input.sourceId },
    create: {
      sourceId: input.sourceId,
      sourceKind: input.sourceKind,
      ...health,
      consecutiveFailures: succeeded ? 0 : 1,
      ...(input.syncState !== undefined ? { syncState: input.syncState } : {}),
      progressStep: "idle",
      progressUpdatedAt: now,
    },
    update: {
      ...health,
      ...(succeeded ? {} : { consecutiveFailures: { increment: 1 } }),
      ...(input.syncState !== undefined ? { syncState: input.syncState } : {}),
      progressStep: "idle",
      progressUpdatedAt: now,
    },
  });
}
