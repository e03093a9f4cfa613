import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import type { MirrorConfig } from "../../core/config";
import { findNameCheckIntervalSeconds, MAX_NAME_CHECK_INTERVAL_SECONDS } from "../../core/schedule-name-checks";
import { whereOpenVerdict } from "../../server/verdicts/open-verdicts";
import { syncConfiguredMirrors } from "../../server/mirrors/sync-configured-mirrors";
import { generateScaleCatalogue } from "../../simulator/scale/generate-scale-catalogue";
import { startScaleSimulator, type ScaleRequestLog, type ScaleRoute } from "../../simulator/scale/start-scale-simulator";
import { createManualClock } from "../../simulator/scenario-clock";
import { createTestDatabase } from "../../test/support/test-database";
import { pollMirror } from "../../worker/poll-mirror";
import { runPollCycle } from "../../worker/run-poll-cycle";
import { createDefaultHttpClientFactory, type WorkerDeps } from "../../worker/worker-deps";
import { ratioFigure, type BenchFigure, type BenchOptions, type BenchSection } from "../bench-report";
import { BENCH_POLL_INTERVAL_SECONDS, configureScaleSources } from "./configure-scale-sources";

export const DEFAULT_POLLING_PACKAGE_COUNTS = [1_000, 10_000, 100_000];
export const SMOKE_POLLING_PACKAGE_COUNTS = [40, 80, 160];
/** Forges are measured over this many no-change cycles: a day at the poll interval, the back-off's longest slot. */
const FORGE_CYCLES = MAX_NAME_CHECK_INTERVAL_SECONDS / BENCH_POLL_INTERVAL_SECONDS;
const SMOKE_FORGE_CYCLES = 3;
/** Which names a cycle asks varies around the schedule's average; over a day of cycles it stays within this. */
const FORGE_TOLERANCE = 1.1;
/** Every catalogue ends here; its history goes back at the generator's yearly rate. */
const CATALOGUE_END_AT = new Date("2025-06-02T00:00:00Z");
/** The simulator's frozen "now": half a day after the last release, so the youngest updates are still pending. */
const OBSERVED_AFTER_LAST_RELEASE_MS = 12 * 3_600_000;
const FEED_GROWTH_TARGET = 1.1;

/** Listing feeds: a no-change cycle should cost the same whatever the catalogue's size. */
const FEEDS: Array<{ sourceId: string; route: ScaleRoute }> = [
  { sourceId: "redhat-csaf", route: "csaf" },
  { sourceId: "oracle-srpms", route: "oracle" },
  { sourceId: "oracle-yum", route: "oracle" },
  { sourceId: "almalinux-errata", route: "almalinux" },
  { sourceId: "rocky-errata", route: "rocky" },
];
/** Per-package mirrors and the requests one lookup of one name costs when nothing changed. */
const FORGES: Array<{ sourceId: string; route: ScaleRoute; requestsPerName: number; lookup: string }> = [
  { sourceId: "git.centos.org", route: "git-forge", requestsPerName: 2, lookup: "info/refs + ls-refs" },
  { sourceId: "centos-stream", route: "gitlab", requestsPerName: 1, lookup: "one tag page" },
];

export interface PollCounts {
  outcome: string;
  requests: number;
  notModified: number;
  bytes: number;
}

/** A per-package mirror over consecutive no-change cycles, next to what the back-off schedule says it should ask. */
export interface ForgeMeasurement {
  cycles: number;
  requests: number[];
  /** Open names the mirror carries: what it would ask every cycle without a back-off. */
  openNames: number;
  /** Of them, names whose newest open package is younger than M + 2·I: asked every cycle. */
  youngNames: number;
  /** The schedule's expected names per cycle, Σ over names of P(due), averaged over the cycles' times. */
  expectedNames: number;
}

export interface CatalogueMeasurement {
  packageCount: number;
  advisoryCount: number;
  nameCount: number;
  firstCycleMs: number;
  firstCycle: Record<string, PollCounts>;
  noChangeCycle: Record<string, PollCounts>;
  forges: Record<string, ForgeMeasurement>;
  /** What the simulator answered during the no-change cycle, per route. */
  simulatorLog: ScaleRequestLog;
}

async function readPollCounts(deps: WorkerDeps, afterId: number): Promise<Record<string, PollCounts>> {
  const runs = await deps.db.pollRun.findMany({ where: { id: { gt: afterId } }, orderBy: { id: "asc" } });
  return Object.fromEntries(
    runs.map((run) => [run.sourceId, { outcome: run.outcome, requests: run.requests, notModified: run.notModified, bytes: run.bytes }]),
  );
}

async function findLastPollRunId(deps: WorkerDeps): Promise<number> {
  return (await deps.db.pollRun.aggregate({ _max: { id: true } }))._max.id ?? 0;
}

/** Per open name, per major the mirror carries: the release of its newest open package. */
async function listOpenNameAges(deps: WorkerDeps, mirror: MirrorConfig): Promise<Map<string, Map<number, number>>> {
  const select = { name: true, major: true, advisory: { select: { issuedAt: true } } } as const;
  const [open, unevaluated] = await Promise.all([
    deps.db.verdict.findMany({ where: { mirrorId: mirror.id, ...whereOpenVerdict(false) }, select: { package: { select } } }),
    deps.db.package.findMany({ where: { verdicts: { none: { mirrorId: mirror.id } } }, select }),
  ]);
  const newest = new Map<string, Map<number, number>>();
  for (const pkg of [...open.map((row) => row.package), ...unevaluated]) {
    if (!mirror.majors.includes(pkg.major)) continue;
    const byMajor = newest.get(pkg.name) ?? new Map<number, number>();
    byMajor.set(pkg.major, Math.max(byMajor.get(pkg.major) ?? 0, pkg.advisory.issuedAt.getTime()));
    newest.set(pkg.name, byMajor);
  }
  return newest;
}

/**
 * The back-off formula (core/schedule-name-checks.ts): a name × major whose newest open package is `a` old is due in a
 * cycle with probability I / T(a) (1 while T(a) = I); a name is looked up when any of its majors is due.
 */
function computeExpectedNames(
  ages: Map<string, Map<number, number>>,
  mirror: MirrorConfig,
  now: Date,
): { expected: number; young: number } {
  let expected = 0;
  let young = 0;
  for (const byMajor of ages.values()) {
    let notDue = 1;
    for (const issuedAtMs of byMajor.values()) {
      const intervalSeconds = findNameCheckIntervalSeconds((now.getTime() - issuedAtMs) / 1000, mirror);
      notDue *= 1 - Math.min(1, mirror.pollIntervalSeconds / intervalSeconds);
    }
    expected += 1 - notDue;
    if (notDue === 0) young++;
  }
  return { expected, young };
}

/** After the full no-change cycle: the per-package mirrors alone, one poll interval apart, for `cycles` cycles in all. */
async function measureForge(
  deps: WorkerDeps,
  clock: ReturnType<typeof createManualClock>,
  mirror: MirrorConfig,
  firstRequests: number,
  cycles: number,
): Promise<ForgeMeasurement> {
  const ages = await listOpenNameAges(deps, mirror);
  const requests = [firstRequests];
  let expectedSum = computeExpectedNames(ages, mirror, clock.now()).expected;
  const { young } = computeExpectedNames(ages, mirror, clock.now());
  const startMs = clock.now().getTime();
  for (let cycle = 1; cycle < cycles; cycle++) {
    clock.set(new Date(startMs + cycle * mirror.pollIntervalSeconds * 1000));
    expectedSum += computeExpectedNames(ages, mirror, clock.now()).expected;
    requests.push((await pollMirror(deps, mirror)).report.stats.requests);
  }
  clock.set(new Date(startMs));
  return { cycles, requests, openNames: ages.size, youngNames: young, expectedNames: expectedSum / cycles };
}

/**
 * One catalogue: the real worker cycle (upstream poll, then per mirror its poll, verdicts and alerts) against the scale
 * simulator, then a second cycle one poll interval later while the simulator's world stands still — the no-change cycle.
 */
export async function measureCatalogue(packageCount: number, forgeCycles: number): Promise<CatalogueMeasurement> {
  const catalogue = generateScaleCatalogue({ packageCount, endAt: CATALOGUE_END_AT });
  const observedAt = new Date(catalogue.lastReleaseAt.getTime() + OBSERVED_AFTER_LAST_RELEASE_MS);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "srcwatch-bench-polling-"));
  const simulator = await startScaleSimulator({ timeline: catalogue.timeline, clock: createManualClock(observedAt), dataDir });
  const database = await createTestDatabase("sqlite");
  try {
    const startDate = new Date(catalogue.firstReleaseAt.getTime() - 86_400_000).toISOString().slice(0, 10);
    const config = configureScaleSources({ simulatorUrl: simulator.url, csafBaseUrl: simulator.csafBaseUrl, startDate });
    await syncConfiguredMirrors(database.db, config);
    const workerClock = createManualClock(observedAt);
    const deps: WorkerDeps = {
      db: database.db,
      config,
      now: () => workerClock.now(),
      logger: pino({ level: process.env.BENCH_LOG_LEVEL ?? "silent" }),
      createHttpClient: createDefaultHttpClientFactory("srcwatch-bench"),
      mailer: null,
    };

    const startedMs = performance.now();
    await runPollCycle(deps);
    const firstCycleMs = performance.now() - startedMs;
    const firstCycle = await readPollCounts(deps, 0);
    const failed = Object.entries(firstCycle).filter(([, counts]) => counts.outcome !== "success");
    if (failed.length)
      throw new Error(`first cycle at ${packageCount} packages: ${failed.map(([id, c]) => `${id} ${c.outcome}`).join(", ")}`);

    const marker = await findLastPollRunId(deps);
    workerClock.advance(BENCH_POLL_INTERVAL_SECONDS * 1000);
    simulator.resetRequestLog();
    await runPollCycle(deps);
    const noChangeCycle = await readPollCounts(deps, marker);
    const simulatorLog = simulator.requestLog();
    const forges: Record<string, ForgeMeasurement> = {};
    for (const forge of FORGES) {
      const mirror = config.mirrors.find((candidate) => candidate.id === forge.sourceId)!;
      forges[forge.sourceId] = await measureForge(deps, workerClock, mirror, noChangeCycle[forge.sourceId].requests, forgeCycles);
    }
    return {
      packageCount: catalogue.packageCount,
      advisoryCount: catalogue.advisoryCount,
      nameCount: catalogue.nameCount,
      firstCycleMs,
      firstCycle,
      noChangeCycle,
      forges,
      simulatorLog,
    };
  } finally {
    await simulator.close();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function describeCounts(counts: PollCounts): string {
  return `${counts.requests} requests (${counts.notModified} answered 304), ${counts.bytes} bytes, ${counts.outcome}`;
}

/** Feeds: requests and bytes of a no-change cycle at each larger catalogue, as a ratio to the smallest. */
function buildFeedFigures(base: CatalogueMeasurement, larger: CatalogueMeasurement[]): BenchFigure[] {
  const figures: BenchFigure[] = [];
  for (const feed of FEEDS) {
    const baseCounts = base.noChangeCycle[feed.sourceId];
    for (const run of larger) {
      const counts = run.noChangeCycle[feed.sourceId];
      for (const measure of ["requests", "bytes"] as const) {
        const value = counts[measure];
        const baseline = baseCounts[measure];
        figures.push(
          ratioFigure({
            metric: `${feed.sourceId}: ${measure} per no-change cycle, ${run.packageCount} vs ${base.packageCount} packages`,
            value,
            baseline,
            target: `≤ ${FEED_GROWTH_TARGET}× the ${base.packageCount}-package catalogue`,
            isMet: (measured) => measured <= baseline * FEED_GROWTH_TARGET,
            note:
              `${run.packageCount}: ${describeCounts(counts)}; ${base.packageCount}: ${describeCounts(baseCounts)}; ` +
              `simulator saw ${run.simulatorLog[feed.route].requests} on ${feed.route} (${run.simulatorLog[feed.route].notModified} × 304)` +
              (baseline === 0 ? "; nothing at the smaller size either, so no ratio" : ""),
          }),
        );
      }
    }
  }
  return figures;
}

/**
 * Forges: the average requests of a day of no-change cycles next to the back-off formula's expectation
 * (N_y + Σ_others I / T(a) names, × the requests one lookup costs).
 */
function buildForgeFigures(runs: CatalogueMeasurement[]): BenchFigure[] {
  return FORGES.flatMap((forge) =>
    runs.map((run) => {
      const measured = run.forges[forge.sourceId];
      const average = measured.requests.reduce((sum, requests) => sum + requests, 0) / measured.cycles;
      const bound = measured.expectedNames * forge.requestsPerName;
      const everyName = measured.openNames * forge.requestsPerName;
      const isScheduleIgnored = measured.openNames > measured.youngNames && average >= 0.9 * everyName && bound < 0.9 * everyName;
      return ratioFigure({
        metric: `${forge.sourceId}: requests per no-change cycle at ${run.packageCount} packages (average of ${measured.cycles})`,
        value: average,
        baseline: bound,
        target: `≤ ${FORGE_TOLERANCE}× the back-off formula (README)`,
        isMet: (value) => value <= bound * FORGE_TOLERANCE,
        note:
          `${measured.openNames} open names of ${run.nameCount}, ${measured.youngNames} young (asked every cycle); formula ` +
          `${measured.expectedNames.toFixed(1)} names × ${forge.requestsPerName} (${forge.lookup}); without back-off ${everyName}; ` +
          `per cycle ${measured.requests.join(" ")}` +
          (isScheduleIgnored ? "; the worker asked every open name: the schedule is not applied to its polls" : ""),
      });
    }),
  );
}

export async function runPollingBench(options: BenchOptions & { packageCounts?: number[] }): Promise<BenchSection> {
  const packageCounts = options.packageCounts ?? (options.smoke ? SMOKE_POLLING_PACKAGE_COUNTS : DEFAULT_POLLING_PACKAGE_COUNTS);
  const forgeCycles = options.smoke ? SMOKE_FORGE_CYCLES : FORGE_CYCLES;
  const runs: CatalogueMeasurement[] = [];
  for (const packageCount of packageCounts) runs.push(await measureCatalogue(packageCount, forgeCycles));
  const [base, ...larger] = runs;
  return {
    name: "polling",
    parameters: {
      packageCounts: runs.map((run) => run.packageCount).join(", "),
      advisoryCounts: runs.map((run) => run.advisoryCount).join(", "),
      nameCounts: runs.map((run) => run.nameCount).join(", "),
      firstCycleSeconds: runs.map((run) => (run.firstCycleMs / 1000).toFixed(0)).join(", "),
      pollIntervalSeconds: BENCH_POLL_INTERVAL_SECONDS,
      forgeCycles,
      smoke: options.smoke,
    },
    figures: [...buildFeedFigures(base, larger), ...buildForgeFigures(runs)],
  };
}
