import type { UpstreamConfig } from "../core/config";
import type { UpstreamAdvisory } from "../core/types";
import { recordUpstreamPoll } from "../server/advisories/record-upstream-poll";
import { encodeSyncState } from "../server/db/codecs/sync-state-codec";
import { createTimedOutPollReport, INTERNAL_ERROR_MESSAGE, type PollRunReport } from "../server/poll-runs/poll-run-outcome";
import { startPollRun } from "../server/poll-runs/start-poll-run";
import { getSyncState, recordSourceProgress } from "../server/source-state/record-source-progress";
import { UPSTREAM_SOURCES } from "../sources/registry";
import type { UpstreamSource, UpstreamSyncResult } from "../sources/source-contracts";
import { startPollDeadline } from "./start-poll-deadline";
import type { WorkerDeps } from "./worker-deps";
const PROGRESS_WRITE_INTERVAL_MS = 1000;

export interface UpstreamPollResult {
  report: PollRunReport;
  advisoriesWritten: number;
}

/** Job handler: one poll of one upstream feed, written with its PollRun in one transaction. */
export async function pollUpstream(deps: WorkerDeps, upstream: UpstreamConfig): Promise<UpstreamPollResult> {
  const { db, logger } = deps;
  const log = logger.child({ sourceId: upstream.id });
  const startedAt = deps.now();
  const pollRunId = await startPollRun(db, { sourceId: upstream.id, sourceKind: "upstream", now: startedAt });
  const deadline = startPollDeadline(upstream.pollTimeoutSeconds);
  const http = deps.createHttpClient(upstream, { signal: deadline.signal });
  const source = UPSTREAM_SOURCES[upstream.kind] as UpstreamSource<typeof upstream>;
  const state = await getSyncState(db, upstream.id);
  const isFirstSync = state === null;

  let lastProgressWrite = 0;
  let progressWrite: Promise<void> = Promise.resolve();
  const onProgress = (progress: { step: string; done: number; total: number | null }) => {
    // A poll abandoned at its deadline may still report: its PollRun is written, nothing of it may follow.
    if (deadline.signal.aborted) return;
    const wallNow = Date.now();
    if (wallNow - lastProgressWrite < PROGRESS_WRITE_INTERVAL_MS && progress.done !== progress.total) return;
    lastProgressWrite = wallNow;
    log.info({ step: progress.step, done: progress.done, total: progress.total, isFirstSync }, "upstream sync progress");
    progressWrite = progressWrite
      .then(() => recordSourceProgress(db, { sourceId: upstream.id, sourceKind: "upstream", ...progress, now: deps.now() }))
      .catch((error: unknown) => log.warn({ err: error }, "could not record progress"));
  };
  onProgress({ step: "fetching changes.csv", done: 0, total: null });

  let report: PollRunReport;
  let advisories: UpstreamAdvisory[] = [];
  let deletedIds: string[] = [];
  let syncState: string | undefined;
  try {
    const outcome = await deadline.race(
      source.sync({ http, upstream, state: state ?? source.initialState, onProgress, signal: deadline.signal }),
    );
    const result: UpstreamSyncResult | null = outcome.isTimedOut ? null : outcome.value;
    if (result === null) {
      report = createTimedOutPollReport(http.stats, upstream.pollTimeoutSeconds);
    } else if (!result.ok) {
      report = {
        outcome: "failed",
        stats: { ...http.stats },
        items: 0,
        errorKind: result.error.kind,
        errorMessage: `${result.error.message} (${result.error.url})`,
      };
    } else {
      advisories = result.advisories;
      deletedIds = result.deletedIds;
      const refused = result.refusedLinks ?? [];
      if (refused.length)
        log.warn({ count: refused.length, first: refused.slice(0, 10) }, "refused advisory links that are not https on an allowed host");
      syncState = encodeSyncState(result.state, upstream.id);
      const failure = result.failures[0];
      report = {
        outcome: result.failures.length ? "partial" : "success",
        stats: { ...http.stats },
        items: advisories.length,
        errorKind: failure ? failure.error.kind : null,
        errorMessage: failure
          ? `${result.failures.length} advisory file(s) could not be used; first: ${failure.path}: ${failure.error.message}`
          : null,
      };
    }
  } catch (error) {
    report = { outcome: "failed", stats: { ...http.stats }, items: 0, errorKind: "internal", errorMessage: INTERNAL_ERROR_MESSAGE };
    log.error({ err: error }, "upstream poll crashed");
  } finally {
    deadline.clear();
  }
  await progressWrite;
  await recordUpstreamPoll(db, {
    upstreamId: upstream.id,
    pollRunId,
    now: deps.now(),
    advisories,
    deletedIds,
    syncState,
    report,
  });
  log.info(
    {
      outcome: report.outcome,
      requests: report.stats.requests,
      notModified: report.stats.notModified,
      bytes: report.stats.bytes,
      items: report.items,
      errorKind: report.errorKind,
    },
    report.errorMessage ?? "upstream poll finished",
  );
  return { report, advisoriesWritten: advisories.length };
}
