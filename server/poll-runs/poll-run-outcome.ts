import "server-only";

import type { FetchErrorKind } from "../../core/types";
import type { HttpStats } from "../../core/http-stats";

export type PollRunOutcome = "running" | "success" | "partial" | "failed";

/** What a finished poll reports, written with its results in one transaction. */
export interface PollRunReport {
  outcome: Exclude<PollRunOutcome, "running">;
  stats: HttpStats;
  items: number;
  errorKind: FetchErrorKind | "internal" | null;
  errorMessage: string | null;
}

/** What a crashed poll says in public: an exception's message may carry bytes of the answer it choked on (the log keeps it). */
export const INTERNAL_ERROR_MESSAGE = "the poll failed on an internal error (details in the worker log)";

/** The report of a poll its deadline aborted (`pollTimeoutSeconds`). */
export function createTimedOutPollReport(stats: HttpStats, pollTimeoutSeconds: number): PollRunReport {
  return {
    outcome: "failed",
    stats: { ...stats },
    items: 0,
    errorKind: "timeout",
    errorMessage: `the poll did not finish within ${pollTimeoutSeconds} s (pollTimeoutSeconds) and was aborted`,
  };
}

/** A report as the PollRun's columns (and the worker's log line) hold it. */
export function flattenPollRunReport(report: PollRunReport) {
  return {
    outcome: report.outcome,
    requests: report.stats.requests,
    notModified: report.stats.notModified,
    bytes: report.stats.bytes,
    items: report.items,
    errorKind: report.errorKind,
  };
}
