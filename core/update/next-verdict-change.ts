import type { VerdictStatus } from "../types";

const HOUR_MS = 3_600_000;

/**
 * When a verdict's status changes by the passing of time alone (core/compute-verdict.ts): pending turns delayed after
 * the mirror's expected lag, delayed turns missing after `missingAfterHours`, both counted from the upstream release.
 * null: only something from outside (new evidence, a poll that asks, our polls going stale, the configuration) can
 * change it. Staleness is the mirror's, not the verdict's: the evaluation pass watches it for the whole mirror.
 */
export function nextVerdictChangeAt(
  status: VerdictStatus,
  issuedAt: Date,
  mirror: { expectedLagHours: number; missingAfterHours: number },
): Date | null {
  if (status === "pending") return new Date(issuedAt.getTime() + mirror.expectedLagHours * HOUR_MS);
  if (status === "delayed") return new Date(issuedAt.getTime() + mirror.missingAfterHours * HOUR_MS);
  return null;
}
