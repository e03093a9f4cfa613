import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { getCsafDocumentPath } from "../../simulator/csaf/build-csaf-document";
import { generateScaleCatalogue } from "../../simulator/scale/generate-scale-catalogue";
import { startScaleSimulator } from "../../simulator/scale/start-scale-simulator";
import { createManualClock } from "../../simulator/scenario-clock";
import { createTestDatabase, type TestDatabase } from "../../test/support/test-database";
import { ratioFigure, type BenchOptions, type BenchSection } from "../bench-report";
import type { InsertRawChildInput, InsertRawChildResult } from "./insert-raw-child";
import type { PollUpstreamChildInput, PollUpstreamChildResult } from "./poll-upstream-child";
import { runBenchChild } from "./run-bench-child";

export const DEFAULT_BACKFILL_ADVISORIES = 10_000;
export const SMOKE_BACKFILL_ADVISORIES = 150;
const CATALOGUE_END_AT = new Date("2025-06-02T00:00:00Z");
const WALL_TIME_TARGET = 3;
const PEAK_RSS_TARGET_MIB = 512;
const MIB = 1024 * 1024;

/** The worker's SQLite file as it runs it: migrated, write-ahead logging (worker/prepare-database.ts). */
function openWalDatabaseFile(database: TestDatabase): string {
  const file = database.target.url.slice("file:".length);
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.close();
  return file;
}

function formatSeconds(ms: number | null): string {
  return ms === null ? "?" : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * The feed builds each document, and the archive, on its first request; a real feed serves files already built, so build
 * them all first. Returns the archive's name.
 */
async function warmFeed(csafBaseUrl: string, documentPaths: string[]): Promise<string> {
  let next = 0;
  const fetchNext = async () => {
    while (next < documentPaths.length) {
      const response = await fetch(`${csafBaseUrl}${documentPaths[next++]}`);
      if (!response.ok) throw new Error(`the simulator answered ${response.status} for ${response.url}`);
      await response.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: 8 }, fetchNext));
  const archiveName = (await (await fetch(`${csafBaseUrl}archive_latest.txt`)).text()).trim();
  const archive = await fetch(`${csafBaseUrl}${archiveName}`);
  if (!archive.ok) throw new Error(`the simulator answered ${archive.status} for ${archive.url}`);
  await archive.arrayBuffer();
  return archiveName;
}

/** Advisory and package rows, as a digest: both runs must have written the same ones. */
function digestRows(file: string): { advisories: number; packages: number; digest: string } {
  const sqlite = new Database(file, { readonly: true });
  const hash = createHash("sha256");
  let packages = 0;
  const rows = sqlite
    .prepare(
      `SELECT a."id", a."type", a."severity", a."issuedAt", a."url", a."cves", p."name", p."epoch", p."version", p."release", p."major", p."stream", p."minor"
       FROM "Package" p JOIN "Advisory" a ON a."id" = p."advisoryId" ORDER BY a."id", p."name", p."major", p."stream", p."release"`,
    )
    .raw()
    .iterate();
  for (const row of rows) {
    hash.update(JSON.stringify(row));
    packages++;
  }
  const advisories = (sqlite.prepare(`SELECT COUNT(*) FROM "Advisory"`).pluck().get() as number) ?? 0;
  sqlite.close();
  return { advisories, packages, digest: hash.digest("hex") };
}

/**
 * A first sync of `advisoryCount` advisories (≈ 3 source packages each) from the scale simulator's CSAF feed through the
 * worker's real upstream poll, in a child process, next to the raw limit measured in another child in the same run.
 */
export async function runBackfillBench(options: BenchOptions & { advisoryCount?: number }): Promise<BenchSection> {
  const advisoryCount = options.advisoryCount ?? (options.smoke ? SMOKE_BACKFILL_ADVISORIES : DEFAULT_BACKFILL_ADVISORIES);
  const catalogue = generateScaleCatalogue({ advisoryCount, endAt: CATALOGUE_END_AT });
  const now = new Date(catalogue.lastReleaseAt.getTime() + 3_600_000);
  const startDate = new Date(catalogue.firstReleaseAt.getTime() - 86_400_000).toISOString().slice(0, 10);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "srcwatch-bench-backfill-"));
  const simulator = await startScaleSimulator({ timeline: catalogue.timeline, clock: createManualClock(now), dataDir, replicas: [] });
  const pollDatabase = await createTestDatabase("sqlite");
  const rawDatabase = await createTestDatabase("sqlite");
  try {
    const archiveName = await warmFeed(
      simulator.csafBaseUrl,
      catalogue.timeline.releases.map((release) => getCsafDocumentPath(release.advisoryId)),
    );
    const pollFile = openWalDatabaseFile(pollDatabase);
    const rawFile = openWalDatabaseFile(rawDatabase);
    const raw = await runBenchChild<InsertRawChildInput, InsertRawChildResult>(path.join(import.meta.dirname, "insert-raw-child.ts"), {
      databaseFile: rawFile,
      advisoryCount,
      endAt: CATALOGUE_END_AT.toISOString(),
      startDate,
      now: now.toISOString(),
    });
    const simulatorCpuBefore = process.cpuUsage();
    const poll = await runBenchChild<PollUpstreamChildInput, PollUpstreamChildResult>(
      path.join(import.meta.dirname, "poll-upstream-child.ts"),
      { databaseUrl: pollDatabase.target.url, csafBaseUrl: simulator.csafBaseUrl, startDate, now: now.toISOString() },
    );
    const simulatorCpu = process.cpuUsage(simulatorCpuBefore);
    const simulatorCpuMs = (simulatorCpu.user + simulatorCpu.system) / 1000;
    if (poll.result.outcome !== "success") throw new Error(`the upstream poll ended ${poll.result.outcome}`);
    const [written, expected] = [digestRows(pollFile), digestRows(rawFile)];
    if (written.digest !== expected.digest) {
      throw new Error(
        `the poll and the raw insert wrote different rows: ${written.advisories}/${written.packages} vs ${expected.advisories}/${expected.packages}`,
      );
    }
    const rows = `${written.advisories} advisories, ${written.packages} packages`;
    return {
      name: "backfill",
      parameters: {
        advisories: written.advisories,
        packages: written.packages,
        requests: poll.result.requests,
        bytes: poll.result.bytes,
        concurrency: 8,
        smoke: options.smoke,
      },
      figures: [
        ratioFigure({
          metric: "backfill wall time (s)",
          value: poll.result.ms / 1000,
          baseline: raw.result.ms / 1000,
          target: `≤ ${WALL_TIME_TARGET}× raw parse + insert`,
          isMet: (_value, ratio) => ratio !== null && ratio <= WALL_TIME_TARGET,
          note:
            `${rows}; the poll read ${archiveName} and fetched the documents changed since the day before it ` +
            `(${poll.result.requests} requests, ${(poll.result.bytes / MIB).toFixed(1)} MiB over loopback) and parsed them in ${formatSeconds(poll.result.fetchMs)}, ` +
            `then wrote them in ${formatSeconds(poll.result.fetchMs === null ? null : poll.result.ms - poll.result.fetchMs)}; ` +
            `the simulator serving them used ${formatSeconds(simulatorCpuMs)} of CPU on the same cores; ` +
            `the raw limit parses the same documents from memory and inserts them in one transaction`,
        }),
        ratioFigure({
          metric: "backfill peak RSS (MiB)",
          value: poll.peakRssBytes / MIB,
          baseline: raw.peakRssBytes / MIB,
          target: `< ${PEAK_RSS_TARGET_MIB} MiB`,
          isMet: (value) => value < PEAK_RSS_TARGET_MIB,
          note:
            `VmHWM of each child process (Node + tsx loader included); the poll's peak was ` +
            `${poll.result.fetchPeakRssBytes === null ? "?" : (poll.result.fetchPeakRssBytes / MIB).toFixed(0)} MiB when fetching ended, ` +
            `before its write; the raw limit holds every document in memory`,
        }),
      ],
    };
  } finally {
    await simulator.close();
    await pollDatabase.drop();
    await rawDatabase.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
