import type { Logger } from "pino";
import type { MirrorConfig, UpstreamConfig } from "../core/config";
import type { FetchError, HttpClient } from "../sources/http/types";
import type { SourceProgress } from "../sources/source-contracts";
import {
  createTimedOutPollReport,
  flattenPollRunReport,
  INTERNAL_ERROR_MESSAGE,
  type PollRunReport,
} from "../server/poll-runs/poll-run-outcome";
import { startPollRun } from "../server/poll-runs/start-poll-run";
import { recordSourceProgress } from "../server/source-state/record-source-progress";
import { startPollDeadline } from "./start-poll-deadline";
import type { WorkerDeps } from "./worker-deps";

const PROGRESS_WRITE_INTERVAL_MS = 1000;

export type PollSource = { kind: "upstream"; config: UpstreamConfig } | { kind: "mirror"; config: MirrorConfig };

/** What one poll's work gives back: a failure of the whole poll, or its result with how it went. */
export type PollAttempt<R> =
  | { ok: false; error: FetchError }
  | {
      ok: true;
      result: R;
      outcome: "success" | "partial";
      items: number;
      /** The first failure of a partial poll. */
      failure: { kind: PollRunReport["errorKind"]; message: string } | null;
      /** What the source says of how it went (the PollRun keeps it, the log prints it). */
      notes?: readonly string[];
    };

export interface PollContext {
  http: HttpClient;
  /** Aborted at the poll's deadline (`pollTimeoutSeconds`): hand it to the source. */
  signal: AbortSignal;
  onProgress: (progress: SourceProgress) => void;
  /** The poll's start on the (scenario) clock. */
  startedAt: Date;
  log: Logger;
}

/**
 * A poll's lifecycle, the same for every kind of source: a PollRun is started, the work runs under the deadline with
 * its progress written to SourceState about once a second, its outcome becomes the PollRun's report (timeout, failure,
 * crash, partial, success), and `record` writes the result with the finished PollRun (in one transaction, its job).
 * A result that arrives after the deadline, and any progress after it, is dropped.
 */
export async function runPoll<R>(
  deps: WorkerDeps,
  source: PollSource,
  work: {
    attempt(context: PollContext): Promise<PollAttempt<R>>;
    record(input: { pollRunId: number; startedAt: Date; report: PollRunReport; result: R | null }): Promise<void>;
    /** Fields the finish line of the log adds (new builds, advisories). */
    describe?(result: R | null): Record<string, unknown>;
  },
): Promise<{ report: PollRunReport; result: R | null }> {
  const { db } = deps;
  const { config } = source;
  const log = deps.logger.child({ sourceId: config.id });
  const startedAt = deps.now();
  const pollRunId = await startPollRun(db, { sourceId: config.id, sourceKind: source.kind, now: startedAt });
  const deadline = startPollDeadline(config.pollTimeoutSeconds);
  const http = deps.createHttpClient(config, { signal: deadline.signal });

  let lastProgressWrite = 0;
  let progressWrite: Promise<void> = Promise.resolve();
  const onProgress = (progress: SourceProgress) => {
    if (deadline.signal.aborted) return;
    if (Date.now() - lastProgressWrite < PROGRESS_WRITE_INTERVAL_MS && progress.done !== progress.total) return;
    lastProgressWrite = Date.now();
    log.info(progress, `${source.kind} poll progress`);
    progressWrite = progressWrite
      .then(() => recordSourceProgress(db, { sourceId: config.id, sourceKind: source.kind, ...progress, now: deps.now() }))
      .catch((error: unknown) => log.warn({ err: error }, "could not record progress"));
  };
  // Each source then names its own steps.
  onProgress({ step: "starting", done: 0, total: null });
  await progressWrite;

  let report: PollRunReport;
  let result: R | null = null;
  try {
    const outcome = await deadline.race(work.attempt({ http, signal: deadline.signal, onProgress, startedAt, log }));
    if (outcome.isTimedOut) {
      report = createTimedOutPollReport(http.stats, config.pollTimeoutSeconds);
    } else if (!outcome.value.ok) {
      const { error } = outcome.value;
      report = {
        outcome: "failed",
        stats: { ...http.stats },
        items: 0,
        errorKind: error.kind,
        errorMessage: `${error.message} (${error.url})`,
      };
    } else {
      const attempt = outcome.value;
      result = attempt.result;
      report = {
        outcome: attempt.outcome,
        stats: { ...http.stats },
        items: attempt.items,
        errorKind: attempt.failure?.kind ?? null,
        errorMessage: attempt.failure?.message ?? null,
        ...(attempt.notes?.length ? { notes: attempt.notes } : {}),
      };
    }
  } catch (error) {
    report = { outcome: "failed", stats: { ...http.stats }, items: 0, errorKind: "internal", errorMessage: INTERNAL_ERROR_MESSAGE };
    log.error({ err: error }, `${source.kind} poll crashed`);
  } finally {
    deadline.clear();
  }
  await progressWrite;
  await work.record({ pollRunId, startedAt, report, result });
  log.info(
    { ...flattenPollRunReport(report), ...(report.notes ? { notes: report.notes } : {}), ...work.describe?.(result) },
    report.errorMessage ?? `${source.kind} poll finished`,
  );
  return { report, result };
}
