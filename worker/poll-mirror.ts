import { createLinkPolicy } from "../core/check-link";
import type { MirrorConfig } from "../core/config";
import type { Evidence } from "../core/types";
import { listOpenPackageNames } from "../server/evidence/list-open-package-names";
import { listStoredEvidence } from "../server/evidence/list-stored-evidence";
import { recordMirrorPoll, type CheckedNames } from "../server/evidence/record-mirror-poll";
import { encodeSyncState } from "../server/db/codecs/sync-state-codec";
import { createTimedOutPollReport, INTERNAL_ERROR_MESSAGE, type PollRunReport } from "../server/poll-runs/poll-run-outcome";
import { startPollRun } from "../server/poll-runs/start-poll-run";
import { getSyncState, recordSourceProgress } from "../server/source-state/record-source-progress";
import { checkEvidenceLinks } from "../sources/check-evidence-links";
import { MIRROR_SOURCES } from "../sources/registry";
import type { MirrorSource, SourceProgress } from "../sources/source-contracts";
import { isBackfillWindowOpen } from "../server/verdicts/open-verdicts";
import { startPollDeadline } from "./start-poll-deadline";
import type { WorkerDeps } from "./worker-deps";

const PROGRESS_WRITE_INTERVAL_MS = 1000;

/**
 * Job handler: one poll of one mirror through its source. Per-package sources look only at the
 * packages whose verdicts are still open; listing sources read the mirror's whole listing. Builds
 * seen for the first time become Evidence, written with the PollRun in one transaction.
 */
export async function pollMirror(deps: WorkerDeps, mirror: MirrorConfig): Promise<{ report: PollRunReport; newBuilds: number }> {
  const { db } = deps;
  const log = deps.logger.child({ sourceId: mirror.id });
  const source = MIRROR_SOURCES[mirror.kind] as MirrorSource<typeof mirror>;
  const startedAt = deps.now();
  const pollRunId = await startPollRun(db, { sourceId: mirror.id, sourceKind: "mirror", now: startedAt });
  const deadline = startPollDeadline(mirror.pollTimeoutSeconds);
  const http = deps.createHttpClient(mirror, { signal: deadline.signal });

  let lastProgressWrite = 0;
  let progressWrite: Promise<void> = Promise.resolve();
  const onProgress = (progress: SourceProgress) => {
    // A poll abandoned at its deadline may still report: its PollRun is written, nothing of it may follow.
    if (deadline.signal.aborted) return;
    if (Date.now() - lastProgressWrite < PROGRESS_WRITE_INTERVAL_MS && progress.done !== progress.total) return;
    lastProgressWrite = Date.now();
    log.info(progress, "mirror poll progress");
    progressWrite = progressWrite
      .then(() => recordSourceProgress(db, { sourceId: mirror.id, sourceKind: "mirror", ...progress, now: deps.now() }))
      .catch((error: unknown) => log.warn({ err: error }, "could not record progress"));
  };

  let report: PollRunReport;
  let newBuilds: Evidence[] = [];
  let syncState: string | undefined;
  let checkedNames: CheckedNames = new Map();
  try {
    // Per-package mirrors ask only the names due by their age (core/schedule-name-checks.ts); listings read everything.
    const openPackages = await listOpenPackageNames(db, mirror.id, {
      withBeforeTrackedFrom: isBackfillWindowOpen(mirror, startedAt),
      schedule: source.scope === "open-packages" ? { now: startedAt, mirror } : undefined,
    });
    for (const [name, majors] of openPackages) {
      for (const major of majors) if (!mirror.majors.includes(major)) majors.delete(major);
      if (majors.size === 0) openPackages.delete(name);
    }
    const storedEvidence = await listStoredEvidence(db, mirror.id, source.scope === "open-packages" ? [...openPackages.keys()] : null);
    const state = await getSyncState(db, mirror.id);
    onProgress({
      step: source.scope === "open-packages" ? "listing tags" : "reading the mirror's listing",
      done: 0,
      total: source.scope === "open-packages" ? openPackages.size : null,
    });
    const outcome = await deadline.race(
      source.poll({ http, mirror, openPackages, storedEvidence, state: state ?? source.initialState, onProgress, signal: deadline.signal }),
    );
    const result = outcome.isTimedOut ? null : outcome.value;
    if (result === null) {
      report = createTimedOutPollReport(http.stats, mirror.pollTimeoutSeconds);
    } else if (!result.ok) {
      report = {
        outcome: "failed",
        stats: { ...http.stats },
        items: 0,
        errorKind: result.error.kind,
        errorMessage: `${result.error.message} (${result.error.url})`,
      };
    } else {
      const checked = checkEvidenceLinks(result.builds, createLinkPolicy(source.listLinkUrls(mirror)));
      if (checked.refusedLinks.length)
        log.warn(
          { count: checked.refusedLinks.length, first: checked.refusedLinks.slice(0, 10) },
          "refused evidence links that are not on the mirror's hosts",
        );
      const seen = new Set<string>();
      newBuilds = checked.builds.filter((build) => !storedEvidence.has(build.ref) && !seen.has(build.ref) && seen.add(build.ref));
      syncState = encodeSyncState(result.state, mirror.id);
      const first = result.failures[0];
      // Only what the poll asked about can be found absent: every name of a listing, else the open names it could read.
      const failedNames = new Set(result.failures.map((failure) => failure.item));
      checkedNames = source.scope === "listing" ? "all" : new Map([...openPackages].filter(([name]) => !failedNames.has(name)));
      report = {
        outcome: first ? "partial" : "success",
        stats: { ...http.stats },
        items: newBuilds.length,
        errorKind: first ? first.error.kind : null,
        errorMessage: first
          ? `${result.failures.length} item(s) could not be read; first: ${first.item}: ${first.error.message} (${first.error.url})`
          : null,
      };
    }
  } catch (error) {
    report = { outcome: "failed", stats: { ...http.stats }, items: 0, errorKind: "internal", errorMessage: INTERNAL_ERROR_MESSAGE };
    log.error({ err: error }, "mirror poll crashed");
  } finally {
    deadline.clear();
  }
  await progressWrite;
  if (report.outcome === "failed") {
    newBuilds = [];
    checkedNames = new Map();
  }
  await recordMirrorPoll(db, { mirrorId: mirror.id, pollRunId, startedAt, now: deps.now(), newBuilds, checkedNames, report, syncState });
  log.info(
    {
      outcome: report.outcome,
      requests: report.stats.requests,
      notModified: report.stats.notModified,
      bytes: report.stats.bytes,
      newBuilds: newBuilds.length,
      errorKind: report.errorKind,
    },
    report.errorMessage ?? "mirror poll finished",
  );
  return { report, newBuilds: newBuilds.length };
}
