import "server-only";

import type { SourceHealth } from "../../contract/mirror-dto";
import { toPublicErrorMessage } from "./to-public-error-message";

interface SourceStateRow {
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
  lastErrorKind: string | null;
  lastErrorMessage: string | null;
  consecutiveFailures: number;
}

/** ok, failing (last attempt failed), stale (no success within the limit) or never polled. */
export function computeSourceHealth(
  state: SourceStateRow | null | undefined,
  input: { now: Date; staleAfterMinutes: number },
): SourceHealth {
  const base: SourceHealth = {
    status: "ok",
    lastSuccessAt: state?.lastSuccessAt?.toISOString() ?? null,
    lastFailureAt: state?.lastFailureAt?.toISOString() ?? null,
    lastErrorKind: state?.lastErrorKind ?? null,
    lastErrorMessage: toPublicErrorMessage(state?.lastErrorMessage ?? null),
    consecutiveFailures: state?.consecutiveFailures ?? 0,
  };
  if (!state || (!state.lastSuccessAt && !state.lastFailureAt)) return { ...base, status: "never_polled" };
  if (state.consecutiveFailures > 0) return { ...base, status: "failing" };
  const staleBefore = input.now.getTime() - input.staleAfterMinutes * 60_000;
  if (!state.lastSuccessAt || state.lastSuccessAt.getTime() < staleBefore) return { ...base, status: "stale" };
  return base;
}
