import type { MirrorConfig } from "../core/config";
import type { FetchErrorKind, FoundBuild } from "../core/types";
import { listKnownRefs, listOpenPackageNames, recordMirrorPoll } from "../server/evidence/record-mirror-poll";
import type { PollRunReport } from "../server/poll-runs/poll-run-outcome";
import { startPollRun } from "../server/poll-runs/start-poll-run";
import { recordSourceProgress } from "../server/sources/record-source-progress";
import { listForgeBuilds } from "../sources/git-forge/list-forge-builds";
import type { FetchError } from "../sources/http/types";
import { mapWithConcurrency } from "./map-with-concurrency";
import type { WorkerDeps } from "./worker-deps";

const PROGRESS_WRITE_INTERVAL_MS = 1000;

/**
 * Job handler: one poll of one mirror. Looks only at the packages whose verdicts are still open,
 * stores builds seen for the first time, and closes its PollRun in the same transaction.
 */
export async function pollMirror(deps: WorkerDeps, mirror: MirrorConfig): Promise<{ report: PollRunReport; newBuilds: number }> {
  const { db } = deps;
  const log = deps.logger.child({ sourceId: mirror.id });
  const pollRunId = await startPollRun(db, { sourceId: mirror.id, sourceKind: "mirror", now: deps.now() });
  const http = deps.createHttpClient(mirror);

  let report: PollRunReport;
  const newBuilds: FoundBuild[] = [];
  try {
    const openNames = await listOpenPackageNames(db, mirror.id);
    for (const [name, majors] of openNames) {
      for (const major of majors) if (!mirror.majors.includes(major)) majors.delete(major);
      if (majors.size === 0) openNames.delete(name);
    }
    const names = [...openNames.keys()].sort();
    const knownRefs = await listKnownRefs(db, mirror.id, names);
    const failures: { name: string; error: FetchError }[] = [];
    let done = 0;
    let lastProgressWrite = 0;
    const writeProgress = async (force = false) => {
      if (!force && Date.now() - lastProgressWrite < PROGRESS_WRITE_INTERVAL_MS) return;
      lastProgressWrite = Date.now();
      log.info({ step: "listing tags", done, total: names.length }, "mirror poll progress");
      await recordSourceProgress(db, { sourceId: mirror.id, sourceKind: "mirror", step: "listing tags", done, total: names.length, now: deps.now() });
    };
    await writeProgress(true);

    await mapWithConcurrency(names, mirror.concurrency, async (name) => {
      const known = knownRefs.get(name) ?? new Map();
      const result = await listForgeBuilds({ http, mirror, packageName: name, majors: [...(openNames.get(name) ?? [])], knownRefs: known });
      if (!result.ok) failures.push({ name, error: result.error });
      else for (const build of result.builds) if (!known.has(build.ref)) newBuilds.push(build);
      done++;
      await writeProgress();
    });

    if (names.length === 0) {
      // Nothing to look up: still find out whether the mirror answers at all, so its health is true.
      const probe = await http.get(new URL("/", mirror.repoUrlTemplate.replace("{name}", "srcwatch-probe")).toString(), { maxBytes: 64 * 1024 });
      if (!probe.ok && probe.error.kind !== "http" && probe.error.kind !== "too_large") failures.push({ name: "(reachability probe)", error: probe.error });
    }
    const failedAll = failures.length > 0 && failures.length >= names.length;
    const first = failures[0];
    const kind: FetchErrorKind | null = first ? first.error.kind : null;
    report = {
      outcome: failedAll ? "failed" : failures.length ? "partial" : "success",
      stats: { ...http.stats },
      items: newBuilds.length,
      errorKind: kind,
      errorMessage: !first
        ? null
        : names.length === 0
          ? `mirror did not answer: ${first.error.message} (${first.error.url})`
          : `${failures.length} of ${names.length} package(s) could not be listed; first: ${first.name}: ${first.error.message} (${first.error.url})`,
    };
  } catch (error) {
    report = { outcome: "failed", stats: { ...http.stats }, items: 0, errorKind: "internal", errorMessage: (error as Error).message };
    log.error({ err: error }, "mirror poll crashed");
  }
  const storedBuilds = report.outcome === "failed" ? [] : newBuilds;
  await recordMirrorPoll(db, { mirrorId: mirror.id, pollRunId, now: deps.now(), newBuilds: storedBuilds, report });
  log.info(
    { outcome: report.outcome, requests: report.stats.requests, bytes: report.stats.bytes, newBuilds: storedBuilds.length, errorKind: report.errorKind },
    report.errorMessage ?? "mirror poll finished",
  );
  return { report, newBuilds: storedBuilds.length };
}
