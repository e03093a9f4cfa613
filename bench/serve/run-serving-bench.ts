// The serving benchmark: the production web server (scripts/web-server.mjs, Next behind node:http) on a seeded SQLite
// file, against a bare node:http + better-sqlite3 server running the same SQL on the same file, URL by URL, in one run.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ratioFigure, type BenchFigure, type BenchOptions, type BenchSection } from "../bench-report";
import { buildServingConfig } from "./build-serving-config";
import { measureUrl, type LoadSettings, type UrlMeasurement } from "./measure-url";
import type { ServingDataSummary } from "./seed-serving-data";
import { findFreePort, startServerProcess, type ServerProcess } from "./start-server-process";
import { isWebBuildCurrent, WEB_SERVER, webNodeFlags } from "../../scripts/run-processes.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");
const VERDICTS_PER_ADVISORY = 12;
const DEFAULT_VERDICTS = 150_000;
const SMOKE_VERDICTS = 6_000;
const P95_LIMIT_MS = 50;
const RSS_LIMIT_MIB = 512;
const GROWTH_LIMIT = 1.5;

interface ServedUrl {
  label: string;
  path: (sampleAdvisoryId: string) => string;
  /** Its answer grows with the rows it lists (the CSV export), so its latency may grow with the data. */
  growsWithRows?: boolean;
}

const SERVED_URLS: ServedUrl[] = [
  { label: "overview /", path: () => "/" },
  { label: "updates list /updates", path: () => "/updates" },
  { label: "advisory page", path: (id) => `/advisories/${encodeURIComponent(id)}` },
  { label: "report page /reports/missing", path: () => "/reports/missing" },
  { label: "GET /api/v1/summary", path: () => "/api/v1/summary" },
  { label: "GET /api/v1/advisories", path: () => "/api/v1/advisories" },
  { label: "GET /api/v1/reports/missing.csv", path: () => "/api/v1/reports/missing.csv", growsWithRows: true },
];

interface DatasetMeasurement {
  rounds: number;
  data: ServingDataSummary;
  csvRows: number;
  web: UrlMeasurement[];
  bare: UrlMeasurement[];
  webPeakRssMib: number;
  barePeakRssMib: number;
}

/**
 * `next build` output must exist: `next start` serves it. Built here only when missing (it takes minutes, and the work
 * tree is shared); a build older than its sources is measured as it is, and the report says so.
 */
function ensureNextBuild(): { builtNow: boolean; builtAt: string; isCurrent: boolean } {
  const buildId = path.join(ROOT, ".next/BUILD_ID");
  let builtNow = false;
  if (!existsSync(buildId)) {
    console.error("[serving] .next is missing: running `next build` first");
    const result = spawnSync(path.join(ROOT, "node_modules/.bin/next"), ["build"], {
      cwd: ROOT,
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    });
    if (result.status !== 0) throw new Error(`next build failed (exit ${result.status})`);
    builtNow = true;
  }
  const builtAtMs = statSync(buildId).mtimeMs;
  const isCurrent = isWebBuildCurrent();
  if (!isCurrent) console.error("[serving] warning: .next is older than its sources; measuring it as it is (run `npx next build` first)");
  return { builtNow, builtAt: new Date(builtAtMs).toISOString(), isCurrent };
}

async function seedDataset(input: { databaseFile: string; configFile: string; advisoriesPerRound: number; rounds: number; now: Date }) {
  const child = spawn(
    TSX,
    [
      "--conditions=react-server",
      path.join(ROOT, "bench/serve/seed-serving-data.cli.ts"),
      "--database",
      input.databaseFile,
      "--config",
      input.configFile,
      "--advisories",
      String(input.advisoriesPerRound),
      "--rounds",
      String(input.rounds),
      "--now",
      input.now.toISOString(),
    ],
    { cwd: ROOT, env: { ...process.env, LOG_LEVEL: "warn" }, stdio: ["ignore", "pipe", "inherit"] },
  );
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  if (code !== 0) throw new Error(`seeding failed (exit ${code})`);
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as ServingDataSummary;
}

export async function startServers(input: {
  databaseFile: string;
  configFile: string;
  dataDir: string;
}): Promise<{ web: ServerProcess; bare: ServerProcess }> {
  const [webPort, barePort] = [await findFreePort(), await findFreePort()];
  const web = await startServerProcess({
    name: "web",
    command: process.execPath,
    args: [...webNodeFlags(process.env), WEB_SERVER, "-p", String(webPort), "-H", "127.0.0.1"],
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      LOG_LEVEL: "warn",
      DATABASE_URL: `file:${input.databaseFile}`,
      SRCWATCH_CONFIG: input.configFile,
      SRCWATCH_DATA_DIR: input.dataDir,
    },
    port: webPort,
    readyPattern: /\[web\] ready on/,
  });
  try {
    const bare = await startServerProcess({
      name: "bare",
      command: process.execPath,
      args: [
        "--import",
        "tsx",
        path.join(ROOT, "bench/serve/bare-server.ts"),
        "--database",
        input.databaseFile,
        "--config",
        input.configFile,
        "--port",
        String(barePort),
      ],
      cwd: ROOT,
      env: process.env,
      port: barePort,
      readyPattern: /^ready on/,
    });
    return { web, bare };
  } catch (error) {
    await web.stop();
    throw error;
  }
}

async function measureDataset(input: {
  dir: string;
  configFile: string;
  advisoriesPerRound: number;
  rounds: number;
  now: Date;
  load: LoadSettings;
}): Promise<DatasetMeasurement> {
  const databaseFile = path.join(input.dir, `serving-${input.rounds}x.db`);
  console.error(`[serving] seeding ${input.advisoriesPerRound * input.rounds * VERDICTS_PER_ADVISORY} verdicts (${input.rounds}×)…`);
  const data = await seedDataset({
    databaseFile,
    configFile: input.configFile,
    advisoriesPerRound: input.advisoriesPerRound,
    rounds: input.rounds,
    now: input.now,
  });
  console.error(`[serving] seeded in ${data.seedSeconds.toFixed(0)} s: ${JSON.stringify(data.verdictsByStatus)}`);
  const { web, bare } = await startServers({ databaseFile, configFile: input.configFile, dataDir: input.dir });
  try {
    const webResults: UrlMeasurement[] = [];
    const bareResults: UrlMeasurement[] = [];
    // URL by URL, the app then the bare server: both see the same noise of the shared machine at about the same time.
    for (const served of SERVED_URLS) {
      const urlPath = served.path(data.sampleAdvisoryId);
      webResults.push(await measureUrl(`${web.origin}${urlPath}`, input.load));
      bareResults.push(await measureUrl(`${bare.origin}${urlPath}`, input.load));
      const [app, floor] = [webResults.at(-1)!, bareResults.at(-1)!];
      console.error(
        `[serving] ${served.label.padEnd(34)} web p95 ${app.p95Ms.toFixed(1).padStart(8)} ms ${app.requestsPerSecond.toFixed(1).padStart(7)} req/s` +
          ` | bare p95 ${floor.p95Ms.toFixed(1).padStart(8)} ms ${floor.requestsPerSecond.toFixed(1).padStart(7)} req/s`,
      );
    }
    const csv = await fetch(`${bare.origin}/api/v1/reports/missing.csv`).then((response) => response.text());
    return {
      rounds: input.rounds,
      data,
      csvRows: csv.trim().split("\r\n").length - 1,
      web: webResults,
      bare: bareResults,
      webPeakRssMib: web.readPeakRssMib(),
      barePeakRssMib: bare.readPeakRssMib(),
    };
  } finally {
    await Promise.all([web.stop(), bare.stop()]);
  }
}

function describeSampling(measurement: UrlMeasurement): string | undefined {
  return measurement.isTooSlowForDuration ? `too slow for the run: measured over ${measurement.answers} requests` : undefined;
}

function describeFailures(measurement: UrlMeasurement): string | undefined {
  const failures = Object.entries(measurement.failures);
  if (failures.length === 0 && measurement.errors === 0) return undefined;
  const parts = failures.map(([status, count]) => (status === "cut" ? `${count} answers cut short` : `HTTP ${status} × ${count}`));
  if (measurement.errors > 0) parts.push(`${measurement.errors} connection errors`);
  return `of ${measurement.answers} answers: ${parts.join(", ")}`;
}

function buildFigures(datasets: DatasetMeasurement[]): BenchFigure[] {
  const base = datasets[0];
  const largest = datasets.at(-1)!;
  const figures: BenchFigure[] = [];
  for (const [index, served] of SERVED_URLS.entries()) {
    const app = base.web[index];
    const floor = base.bare[index];
    const failures = describeFailures(app);
    const isServed = failures === undefined;
    figures.push(
      ratioFigure({
        metric: `${served.label} p95 (ms)`,
        value: app.p95Ms,
        baseline: floor.p95Ms,
        target: `≤ 2× bare and < ${P95_LIMIT_MS} ms`,
        isMet: (value, ratio) => isServed && ratio !== null && ratio <= 2 && value < P95_LIMIT_MS,
        note: [
          failures && `failed: ${failures}`,
          describeSampling(app),
          `p50 ${app.p50Ms.toFixed(1)} ms (bare ${floor.p50Ms.toFixed(1)} ms), ${app.bodyBytes} bytes (bare ${floor.bodyBytes})`,
        ]
          .filter(Boolean)
          .join("; "),
      }),
      ratioFigure({
        metric: `${served.label} requests/s`,
        value: app.requestsPerSecond,
        baseline: floor.requestsPerSecond,
        target: "≥ 0.5× bare",
        isMet: (_value, ratio) => isServed && ratio !== null && ratio >= 0.5,
        ...(failures || app.isTooSlowForDuration
          ? { note: [failures && `failed: ${failures}`, describeSampling(app)].filter(Boolean).join("; ") }
          : {}),
      }),
    );
  }
  if (datasets.length > 1) {
    const rowGrowth = base.csvRows === 0 ? null : largest.csvRows / base.csvRows;
    for (const [index, served] of SERVED_URLS.entries()) {
      const failures = describeFailures(largest.web[index]) ?? describeFailures(base.web[index]);
      const limit = served.growsWithRows && rowGrowth !== null ? GROWTH_LIMIT * rowGrowth : GROWTH_LIMIT;
      figures.push(
        ratioFigure({
          metric: `${served.label} p95 at ${largest.rounds}× data (ms)`,
          value: largest.web[index].p95Ms,
          baseline: base.web[index].p95Ms,
          target: served.growsWithRows
            ? `≤ ${GROWTH_LIMIT}× its row growth (${rowGrowth?.toFixed(1)}× rows)`
            : `≤ ${GROWTH_LIMIT}× the 1× data`,
          isMet: (_value, ratio) => failures === undefined && ratio !== null && ratio <= limit,
          note: [
            failures && `failed: ${failures}`,
            `bare: ${base.bare[index].p95Ms.toFixed(1)} → ${largest.bare[index].p95Ms.toFixed(1)} ms`,
          ]
            .filter(Boolean)
            .join("; "),
        }),
      );
    }
  }
  figures.push(
    ratioFigure({
      metric: "web peak RSS (MiB)",
      value: largest.webPeakRssMib,
      baseline: null,
      target: `< ${RSS_LIMIT_MIB} MiB`,
      isMet: (value) => value < RSS_LIMIT_MIB,
      note: `VmHWM of the web process over the whole run at ${largest.rounds}× data; the bare server's: ${largest.barePeakRssMib.toFixed(0)} MiB`,
    }),
  );
  return figures;
}

/**
 * `verdicts`: the data size (default 150,000: 12,500 advisories × 2 packages × 6 mirrors); `scale` > 1 also measures
 * `scale` times the data in the same run and reports the latency growth against the 1× data.
 */
export async function runServingBench(
  options: BenchOptions & { verdicts?: number; scale?: number; durationSeconds?: number; connections?: number },
): Promise<BenchSection> {
  const verdicts = options.verdicts ?? (options.smoke ? SMOKE_VERDICTS : DEFAULT_VERDICTS);
  const scale = options.scale ?? 1;
  const load: LoadSettings = {
    warmupSeconds: options.smoke ? 0 : 2,
    durationSeconds: options.durationSeconds ?? (options.smoke ? 1 : 10),
    connections: options.connections ?? (options.smoke ? 2 : 10),
  };
  const advisoriesPerRound = Math.max(1, Math.round(verdicts / VERDICTS_PER_ADVISORY));
  const build = ensureNextBuild();
  const loadAverageAtStart = os.loadavg()[0];
  const dir = mkdtempSync(path.join(os.tmpdir(), "srcwatch-serving-"));
  try {
    // The data's present lies an hour back: its last poll and alerts (10 minutes later) are then past for the app's clock.
    const now = new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000);
    const configFile = path.join(dir, "srcwatch.json");
    const openelaTrackedFrom = new Date(now.getTime() - 2 * 365 * 86_400_000).toISOString().slice(0, 10);
    writeFileSync(configFile, JSON.stringify(buildServingConfig({ openelaTrackedFrom }), null, 2));
    const datasets: DatasetMeasurement[] = [];
    for (const rounds of scale > 1 ? [1, scale] : [1]) {
      datasets.push(await measureDataset({ dir, configFile, advisoriesPerRound, rounds, now, load }));
    }
    const base = datasets[0];
    return {
      name: "serving",
      parameters: {
        verdicts: base.data.verdicts,
        advisories: base.data.advisories,
        evidence: base.data.evidence,
        verdictMix: Object.entries(base.data.verdictsByStatus)
          .map(([status, count]) => `${status} ${count}`)
          .join(", "),
        firingAlerts: base.data.firingAlerts,
        reportCsvRows: base.csvRows,
        scale,
        ...(scale > 1 ? { scaledVerdicts: datasets.at(-1)!.data.verdicts, scaledReportCsvRows: datasets.at(-1)!.csvRows } : {}),
        warmupSeconds: load.warmupSeconds,
        durationSecondsPerUrl: load.durationSeconds,
        connections: load.connections,
        serverTime: base.web.some((measurement) => measurement.serverTimingHeader)
          ? "Server-Timing header sent; figures are client latency"
          : "no Server-Timing header: latency (loopback) stands for server time",
        nextBuildAt: build.builtAt,
        nextBuiltByBench: build.builtNow,
        nextBuildIsCurrent: build.isCurrent,
        cpus: os.cpus().length,
        loadAverage: `${loadAverageAtStart.toFixed(1)} at start, ${os.loadavg()[0].toFixed(1)} at end (1-minute)`,
      },
      figures: buildFigures(datasets),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
