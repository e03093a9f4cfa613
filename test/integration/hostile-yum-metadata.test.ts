import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Fault } from "../../simulator/faults";
import { createScenarioClock } from "../../simulator/scenario-clock";
import { startSimulator, type Simulator } from "../../simulator/start-simulator";
import { buildMetadataBomb } from "../../simulator/yum/build-metadata-bomb";
import { createTestDatabase, testDatabaseProvider, type TestDatabase } from "../support/test-database";
import { harnessCsafUpstream, harnessFetchPolicy } from "../support/worker-harness";

/**
 * Acceptance (issue 9, defect 2): a yum mirror whose repomd.xml lists a decompression bomb (zstd, gzip, xz) or a
 * `<package>` that never closes. The real worker process polls it beside the CSAF upstream and Oracle's SRPM index;
 * the bomb ends as a `too_large` PollRun at the default caps, the worker's peak RSS stays under 512 MB, and the other
 * two sources of the same cycle are polled successfully.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");
const HOSTILE_MIRROR = "hostile-yum";
const OTHER_SOURCES = ["redhat-csaf", "oracle-srpms"];
const MAX_PEAK_RSS_BYTES = 512 * 1024 * 1024;
/** Real processes on a loaded 2-core machine: generous bounds, never asserted as timings. */
const WAIT_MS = 240_000;
const SLOW_TEST_MS = 420_000;

const CASES: Array<{ name: string; fault: Fault; cap: RegExp }> = [
  {
    name: "a zstd bomb (34 KB → 1.06 GiB)",
    fault: { mode: "metadata-bomb", compression: "zst" },
    cap: /more than 1073741824 bytes once decompressed \(maxDecompressedBytes\)/,
  },
  {
    name: "a gzip bomb (1.1 MB → 1.06 GiB)",
    fault: { mode: "metadata-bomb", compression: "gz" },
    cap: /more than 1073741824 bytes once decompressed \(maxDecompressedBytes\)/,
  },
  {
    name: "an xz bomb (166 KB → 1.06 GiB)",
    fault: { mode: "metadata-bomb", compression: "xz" },
    cap: /more than 1073741824 bytes once decompressed \(maxDecompressedBytes\)/,
  },
  {
    name: "a <package> that never closes (32 MiB)",
    fault: { mode: "unclosed-element" },
    cap: /larger than 8388608 bytes \(maxElementBytes\)/,
  },
];

function readPeakRssBytes(pid: number): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!match) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

describe(`a yum mirror serving decompression bombs to the real worker (${testDatabaseProvider()})`, () => {
  const tempDir = mkdtempSync(path.join(os.tmpdir(), "srcwatch-hostile-yum-"));
  const clock = createScenarioClock({ scenarioOrigin: new Date("2023-06-20T00:00:00Z"), speed: 1, realOrigin: Date.now() });
  let simulator: Simulator | undefined;
  let child: ChildProcess | undefined;
  let database: TestDatabase | undefined;

  beforeAll(async () => {
    simulator = await startSimulator({ scenario: "june-2023", clock, port: 0, dataDir: path.join(tempDir, "simulator") });
    // Built (and cached on disk) before any worker runs: the bombs' own compression is not the worker's time.
    for (const compression of ["zst", "gz", "xz"] as const) await buildMetadataBomb(compression);
  }, SLOW_TEST_MS);

  afterAll(async () => {
    if (child?.pid !== undefined && child.exitCode === null) child.kill("SIGKILL");
    await database?.drop();
    await simulator?.close();
    rmSync(tempDir, { recursive: true, force: true });
  }, 60_000);

  it.each(CASES)(
    "ends $name as a too_large PollRun under 512 MB of peak RSS while the other sources of the cycle succeed",
    async ({ fault, cap }) => {
      const sim = simulator!;
      sim.setFault("yum", fault);
      database = await createTestDatabase();
      const db = database.db;
      const fetchPolicy = harnessFetchPolicy();
      const config = {
        upstreams: [harnessCsafUpstream(sim, "2023-06-01", fetchPolicy)],
        mirrors: [
          {
            id: HOSTILE_MIRROR,
            kind: "yum-repo",
            name: "A hostile yum mirror",
            majors: [8],
            repoUrlTemplates: [`${sim.url}/oracle/repo/OracleLinux/OL{major}/baseos/latest/SRPMS/`],
            pollIntervalSeconds: 3600,
            ...fetchPolicy,
          },
          {
            id: "oracle-srpms",
            kind: "srpm-index",
            name: "Oracle Linux SRPMs",
            majors: [8, 9],
            indexUrlTemplate: `${sim.url}/oracle/ol{major}/SRPMS-updates/`,
            pollIntervalSeconds: 3600,
            ...fetchPolicy,
          },
        ],
      };
      const caseDir = mkdtempSync(path.join(tempDir, "case-"));
      const configPath = path.join(caseDir, "config.json");
      mkdirSync(path.join(caseDir, "app"), { recursive: true });
      writeFileSync(configPath, JSON.stringify(config));
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        SRCWATCH_CONFIG: configPath,
        SRCWATCH_DATA_DIR: path.join(caseDir, "app"),
        DATABASE_URL: database.target.url,
        // The in-process scheduler on both databases: its first tick starts every source's poll, which is what lets the
        // test say the other polls ran while the bomb was read. pg-boss's claim loops (PostgreSQL's default) start them
        // as each loop fetches, up to a second apart, and a bomb refused fast can finish first. The bounded read under
        // test is the same code under either queue.
        SRCWATCH_JOB_QUEUE: "in-process",
        LOG_LEVEL: "warn",
        ...clock.env,
      };
      // node with tsx's loader (not the tsx CLI, which forks): /proc/<pid> is the worker itself.
      const worker = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "worker/main.ts"], {
        cwd: ROOT,
        env,
        stdio: ["ignore", "pipe", "pipe"],
      });
      child = worker;
      let output = "";
      const keep = (chunk: Buffer) => {
        output = (output + chunk.toString("utf8")).slice(-20_000);
      };
      worker.stdout.on("data", keep);
      worker.stderr.on("data", keep);

      try {
        const deadline = Date.now() + WAIT_MS;
        const firstRun = (sourceId: string) => db.pollRun.findFirst({ where: { sourceId }, orderBy: { id: "asc" } });
        for (;;) {
          if (worker.exitCode !== null) throw new Error(`the worker exited (${worker.exitCode})\n${output}`);
          const runs = await Promise.all([HOSTILE_MIRROR, ...OTHER_SOURCES].map(firstRun));
          if (runs.every((run) => run?.finishedAt)) break;
          if (Date.now() > deadline)
            throw new Error(`timed out waiting for the first poll of every source: ${JSON.stringify(runs)}\n${output}`);
          await sleep(250);
        }
        const peakRssBytes = readPeakRssBytes(worker.pid!);

        const hostile = await firstRun(HOSTILE_MIRROR);
        expect(hostile).toMatchObject({ outcome: "failed", errorKind: "too_large", errorMessage: expect.stringMatching(cap) });
        for (const sourceId of OTHER_SOURCES)
          expect(await firstRun(sourceId), sourceId).toMatchObject({ outcome: "success", errorKind: null });
        // Both other polls ran while the bomb was being read (one cycle: every source is due at the first tick).
        const otherRuns = await Promise.all(OTHER_SOURCES.map(firstRun));
        for (const run of otherRuns) expect(run!.startedAt.getTime()).toBeLessThanOrEqual(hostile!.finishedAt!.getTime());
        expect(peakRssBytes).toBeLessThan(MAX_PEAK_RSS_BYTES);
        expect(await db.evidence.count({ where: { mirrorId: HOSTILE_MIRROR } })).toBe(0);
      } finally {
        worker.kill("SIGKILL");
        await new Promise((resolve) =>
          worker.exitCode === null && worker.signalCode === null ? worker.once("exit", resolve) : resolve(null),
        );
        sim.setFault("yum", null);
        await database.drop();
        database = undefined;
      }
    },
    SLOW_TEST_MS,
  );
});
