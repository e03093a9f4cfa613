import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { evaluateAlerts, type AlertEvaluationResult } from "../../server/alerts/evaluate-alerts";
import { evaluateAlertsWhenDue } from "../../server/alerts/evaluate-alerts-when-due";
import { parseConfig } from "../../server/config/load-config";
import { sqliteFilePath } from "../../server/db/database-target";
import { evaluateMirrorVerdicts, type VerdictEvaluationResult } from "../../server/verdicts/evaluate-mirror-verdicts";
import { createScenarioClock } from "../../simulator/scenario-clock";
import { startSimulator, type Simulator } from "../../simulator/start-simulator";
import { createTestDatabase, type TestDatabase } from "../../test/support/test-database";
import { ratioFigure, type BenchOptions, type BenchSection } from "../bench-report";
import { computeMedian } from "./compute-median";
import { countMirrorRows } from "./count-mirror-rows";
import { measureRawInsertBaseline } from "./measure-raw-insert-baseline";
import { measureWorkerAtRest } from "./measure-worker-at-rest";
import { recordListingPoll } from "./record-listing-poll";
import { seedEvaluationData } from "./seed-evaluation-data";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const DEFAULT_EVALUATION_ADVISORIES = 20_000;
const SMOKE_EVALUATION_ADVISORIES = 200;
/** The bench's passes run at this instant and a minute apart after it; the worker's clock starts a few minutes later. */
const EVALUATED_AT = new Date("2023-06-20T00:00:30Z");
const WORKER_CLOCK_START = new Date("2023-06-20T00:05:00Z");
const POLL_INTERVAL_SECONDS = 1800;
const FIRST_PASS_TARGET = 5;
const UNCHANGED_PASS_TARGET = 0.1;
const WORKER_CPU_TARGET_PERCENT = 2;
const WORKER_RSS_TARGET_MIB = 512;

function buildRawConfig(simulator: Simulator) {
  const egress = { allowPrivateNetwork: true };
  return {
    upstreams: [
      {
        id: "redhat-csaf",
        kind: "csaf",
        egress,
        name: "Red Hat CSAF",
        baseUrl: simulator.csafBaseUrl,
        startDate: "2023-06-01",
        majors: [8, 9],
        pollIntervalSeconds: POLL_INTERVAL_SECONDS,
        perHostMinIntervalMs: 0,
      },
    ],
    mirrors: [
      {
        id: "almalinux-errata",
        kind: "almalinux-errata",
        egress,
        name: "AlmaLinux errata",
        majors: [8, 9],
        streams: ["main"],
        errataUrlTemplate: `${simulator.url}/almalinux/{major}/errata.full.json`,
        erratumWebUrlTemplate: `${simulator.url}/almalinux/{major}/{idUnderscore}.html`,
        pollIntervalSeconds: POLL_INTERVAL_SECONDS,
        perHostMinIntervalMs: 0,
      },
    ],
  };
}

interface Timed<T> {
  ms: number;
  /** CPU time of this process (Prisma's query compiler and the SQLite driver run in it): steadier than wall time on shared cores. */
  cpuMs: number;
  result: T;
}

async function time<T>(run: () => Promise<T>): Promise<Timed<T>> {
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const result = await run();
  const cpu = process.cpuUsage(cpuStart);
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, cpuMs: (cpu.user + cpu.system) / 1000, result };
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const toMiB = (bytes: number) => round(bytes / 1024 / 1024, 0);

/**
 * Verdict and alert evaluation of one mirror at deployment size, as ratios to a raw prepared INSERT of the rows the first
 * evaluation wrote (same file, one transaction), then the real worker at rest on that database, polling the simulator.
 */
export async function runEvaluationBench(
  options: BenchOptions & { advisories?: number; cpuWindowSeconds?: number },
): Promise<BenchSection> {
  const advisoryCount = options.advisories ?? (options.smoke ? SMOKE_EVALUATION_ADVISORIES : DEFAULT_EVALUATION_ADVISORIES);
  const cpuWindowSeconds = options.cpuWindowSeconds ?? (options.smoke ? 3 : 60);
  const repetitions = options.smoke ? 1 : 3;
  const workDir = mkdtempSync(path.join(os.tmpdir(), "srcwatch-bench-evaluation-"));
  const clock = createScenarioClock({ scenarioOrigin: WORKER_CLOCK_START, speed: 1 });
  let simulator: Simulator | undefined;
  let database: TestDatabase | undefined;
  try {
    simulator = await startSimulator({ scenario: "june-2023", clock, dataDir: path.join(ROOT, "data/bench/simulator") });
    database = await createTestDatabase("sqlite");
    const rawConfig = buildRawConfig(simulator);
    const config = parseConfig(rawConfig);
    const mirror = config.mirrors[0];
    const file = sqliteFilePath(database.target);
    const { db } = database;
    // As the worker runs it (prepareDatabase); the mode is kept in the file.
    await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
    const seeded = await seedEvaluationData({ db, target: database.target, config, mirror, advisoryCount, now: EVALUATED_AT });

    const readRowCounts = () => {
      const sqlite = new Database(file, { readonly: true });
      try {
        return countMirrorRows(sqlite, mirror.id);
      } finally {
        sqlite.close();
      }
    };
    const before = readRowCounts();
    const first = await time(() => evaluateMirrorVerdicts(db, { mirror, now: EVALUATED_AT }));
    const after = readRowCounts();
    const written = [...after].filter(([table, count]) => count > (before.get(table) ?? 0));
    const baseline = measureRawInsertBaseline({
      file,
      mirrorId: mirror.id,
      tables: written.filter(([table]) => before.get(table) === 0).map(([table]) => table),
      repetitions,
    });
    const grownTables = written.filter(([table]) => (before.get(table) ?? 0) > 0).map(([table]) => table);
    const baselineRows = Object.values(baseline.rowsByTable).reduce((sum, rows) => sum + rows, 0);
    const baselineNote = `raw insert of ${baselineRows} rows (${Object.entries(baseline.rowsByTable)
      .map(([table, rows]) => `${table} ${rows}`)
      .join(", ")}${grownTables.length ? `; not copied, already had rows: ${grownTables.join(", ")}` : ""})`;

    // The mirror's next poll finds nothing new; the pass after it makes the evaluated verdicts count as checked, and the
    // alert rules fire on them: the steady state the unchanged passes below then meet.
    await recordListingPoll(db, { mirrorId: mirror.id, startedAt: new Date(EVALUATED_AT.getTime() + 10_000) });
    const afterPollAt = new Date(EVALUATED_AT.getTime() + 20_000);
    const verdictsAfterPoll = await time(() => evaluateMirrorVerdicts(db, { mirror, now: afterPollAt }));
    // What the worker runs: the rules behind their gate (server/alerts/evaluate-alerts-when-due.ts).
    const alertsFirst = await time(() => evaluateAlertsWhenDue(db, { mirror, config, now: afterPollAt }));
    const verdictPasses: Array<Timed<VerdictEvaluationResult>> = [];
    const alertPasses: Array<Timed<AlertEvaluationResult & { skipped: boolean }>> = [];
    for (let pass = 1; pass <= repetitions; pass++) {
      const now = new Date(EVALUATED_AT.getTime() + pass * 60_000);
      verdictPasses.push(await time(() => evaluateMirrorVerdicts(db, { mirror, now })));
      alertPasses.push(await time(() => evaluateAlertsWhenDue(db, { mirror, config, now })));
    }
    // For reference, the rules run unconditionally on the same unchanged data (what every pass cost before the gate).
    const ungatedAlertPass = await time(() =>
      evaluateAlerts(db, { mirror, config, now: new Date(EVALUATED_AT.getTime() + (repetitions + 1) * 60_000) }),
    );
    const skippedAlertPasses = alertPasses.filter((pass) => pass.result.skipped).length;
    const verdictChanges = verdictPasses.reduce((sum, { result }) => sum + result.created + result.changed, 0);
    const alertChanges = alertPasses.reduce((sum, { result }) => sum + result.fired + result.resolved + result.changed, 0);
    await db.$disconnect();
    const cpuNote = (cpuMs: number) =>
      `CPU ${round(cpuMs)} ms = ${round(cpuMs / baseline.cpuMs, 3)}× the raw insert's ${round(baseline.cpuMs)} ms`;

    const configPath = path.join(workDir, "config.json");
    writeFileSync(configPath, `${JSON.stringify(rawConfig, null, 2)}\n`);
    const worker = await measureWorkerAtRest({
      root: ROOT,
      env: {
        ...process.env,
        NODE_ENV: "production",
        LOG_LEVEL: "info",
        DATABASE_URL: database.target.url,
        SRCWATCH_CONFIG: configPath,
        SRCWATCH_DATA_DIR: workDir,
        ...clock.env,
      },
      databaseFile: file,
      sourceIds: [...config.upstreams, ...config.mirrors].map((source) => source.id),
      cpuWindowSeconds,
      settleTimeoutSeconds: options.smoke ? 60 : 300,
      quietSeconds: options.smoke ? 1 : 3,
    });
    const workerNote = [
      `settled after ${round(worker.settleSeconds)} s${worker.isSettled ? "" : " (NOT quiet when the settle time ran out)"}`,
      `first polls: ${Object.entries(worker.firstPolls)
        .map(([id, outcome]) => `${id} ${outcome}`)
        .join(", ")}`,
      `window ${round(worker.windowSeconds)} s ${
        worker.windowSeconds >= 60
          ? "holds one scheduled evaluation pass (every 60 s)"
          : "is shorter than the 60 s evaluation period and may miss it"
      }; no-change polls every ${POLL_INTERVAL_SECONDS} s fall outside it`,
      ...(worker.errorLines ? [`${worker.errorLines} error log lines`] : []),
    ].join("; ");

    return {
      name: "evaluation",
      parameters: {
        advisories: seeded.advisoryCount,
        packages: seeded.packageCount,
        publishedPackages: seeded.evidenceCount,
        mirrors: 1,
        mirrorKind: "almalinux-errata (listing)",
        database: "sqlite (WAL)",
        repetitions,
        cpuWindowSeconds,
        workerSources: `simulator (June 2023 CSAF feed + AlmaLinux errata replica), polled every ${POLL_INTERVAL_SECONDS} s`,
      },
      figures: [
        ratioFigure({
          metric: "first evaluation, creates every verdict (ms)",
          value: round(first.ms),
          baseline: round(baseline.ms),
          target: `≤ ${FIRST_PASS_TARGET}× raw insert`,
          isMet: (_, ratio) => ratio !== null && ratio <= FIRST_PASS_TARGET,
          note: `${cpuNote(first.cpuMs)}; ${JSON.stringify(first.result)}; baseline = ${baselineNote}`,
        }),
        ratioFigure({
          metric: "verdict pass, nothing changed (ms, median)",
          value: round(computeMedian(verdictPasses.map((pass) => pass.ms))),
          baseline: round(baseline.ms),
          target: `≤ ${UNCHANGED_PASS_TARGET}× raw insert`,
          isMet: (_, ratio) => ratio !== null && ratio <= UNCHANGED_PASS_TARGET,
          note: `${cpuNote(computeMedian(verdictPasses.map((pass) => pass.cpuMs)))}; ${JSON.stringify(verdictPasses[0].result)}${verdictChanges ? `; the passes changed ${verdictChanges} verdicts` : ""}; the pass after a no-change poll: ${round(verdictsAfterPoll.ms)} ms ${JSON.stringify(verdictsAfterPoll.result)}`,
        }),
        ratioFigure({
          metric: "alert evaluation, nothing changed (ms, median)",
          value: round(computeMedian(alertPasses.map((pass) => pass.ms))),
          baseline: round(baseline.ms),
          target: `≤ ${UNCHANGED_PASS_TARGET}× raw insert`,
          isMet: (_, ratio) => ratio !== null && ratio <= UNCHANGED_PASS_TARGET,
          note: `${cpuNote(computeMedian(alertPasses.map((pass) => pass.cpuMs)))}; ${skippedAlertPasses} of ${alertPasses.length} passes skipped by the gate; the rules run ungated on the same data: ${round(ungatedAlertPass.ms)} ms (${round(ungatedAlertPass.ms / baseline.ms, 3)}×); first alert evaluation ${round(alertsFirst.ms)} ms ${JSON.stringify(alertsFirst.result)}${
            alertChanges ? `; the unchanged passes changed ${alertChanges} alerts` : ""
          }`,
        }),
        ratioFigure({
          metric: "worker CPU at rest (% of one core)",
          value: round(worker.cpuPercentOfCore, 2),
          baseline: null,
          target: `< ${WORKER_CPU_TARGET_PERCENT}%`,
          isMet: (value) => value < WORKER_CPU_TARGET_PERCENT,
          note: workerNote,
        }),
        ratioFigure({
          metric: "worker peak RSS (MiB)",
          value: toMiB(worker.peakRssBytes),
          baseline: null,
          target: `< ${WORKER_RSS_TARGET_MIB} MiB`,
          isMet: (value) => value < WORKER_RSS_TARGET_MIB,
          note: `VmHWM over the worker's life; ${toMiB(worker.peakRssBeforeWindowBytes)} MiB already before the window (start, first polls and the evaluations they bring); ${toMiB(worker.rssAtRestBytes)} MiB resident at the end of the window`,
        }),
      ],
    };
  } finally {
    await database?.drop();
    await simulator?.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}
