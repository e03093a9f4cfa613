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
  /** What the source says of how the poll went, a line each (e.g. a first sync's path); absent when nothing. */
  notes?: readonly string[];
}

/** Lines of notes a PollRun keeps, and characters per line: a note describes the poll, it never carries a document. */
export const POLL_RUN_NOTES_MAX_LINES = 10;
export const POLL_RUN_NOTE_MAX_CHARACTERS = 300;

/** The notes as the PollRun's column holds them: a line each, bounded; null when there are none. */
export function encodePollRunNotes(notes: readonly string[] | undefined): string | null {
  const lines = (notes ?? [])
    .map((note) => note.replace(/[\r\n]+/g, " ").trim())
    .filter((note) => note.length > 0)
    .slice(0, POLL_RUN_NOTES_MAX_LINES)
    .map((note) => (note.length > POLL_RUN_NOTE_MAX_CHARACTERS ? `${note.slice(0, POLL_RUN_NOTE_MAX_CHARACTERS - 1)}…` : note));
  return lines.length > 0 ? lines.join("\n") : null;
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
