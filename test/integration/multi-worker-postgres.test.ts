import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeSubscriptionScope } from "../../core/subscription-scope";
import type { Db } from "../../server/db/client";
import { startMailCatcher, type MailCatcher } from "../../simulator/mail/start-mail-catcher";
import { createScenarioClock, type ScenarioClock } from "../../simulator/scenario-clock";
import { startSimulator, type Simulator } from "../../simulator/start-simulator";
import { createTestDatabase, testDatabaseProvider, type TestDatabase } from "../support/test-database";
import { harnessCsafUpstream, harnessGitCentosMirror } from "../support/worker-harness";
import {
  isWorkerRunning,
  killWorkerHard,
  spawnWorkerProcess,
  stopWorkerGracefully,
  waitUntil,
  type WorkerProcess,
} from "../support/worker-process";

/**
 * Issue 14's fault tests: three worker processes on one PostgreSQL database share the polls through pg-boss. The
 * worker running the first upstream poll is SIGKILLed in the middle of it; another takes the job over once it expires.
 * Nothing is polled twice at once, the dead poll's run is closed as interrupted, every package gets its verdict and
 * the stop's mail reaches each subscriber once.
 */

const UPSTREAM = "redhat-csaf";
const CENTOS = "git.centos.org";
const SUBSCRIBER = "maintainer@example.org";
const FIRING_SUBJECT = /FIRING: git\.centos\.org stopped publishing RHEL 8/;
const SCENARIO_ORIGIN = new Date("2023-06-20T00:00:00Z");
/** A poll job expires this long after its deadline (POLL_EXPIRY_MARGIN_SECONDS) and is then handed to another worker. */
const POLL_TIMEOUT_SECONDS = 20;
const WAIT_MS = 240_000;
const SLOW_TEST_MS = 600_000;

describe.skipIf(testDatabaseProvider() !== "postgres")("three workers on PostgreSQL (pg-boss)", () => {
  const tempDir = mkdtempSync(path.join(os.tmpdir(), "srcwatch-multi-worker-"));
  const configPath = path.join(tempDir, "config.json");
  let clock: ScenarioClock;
  let simulator: Simulator | undefined;
  let catcher: MailCatcher | undefined;
  let database: TestDatabase | undefined;
  const workers: WorkerProcess[] = [];

  const spawnWorker = () => {
    const worker = spawnWorkerProcess({
      SRCWATCH_CONFIG: configPath,
      SRCWATCH_DATA_DIR: path.join(tempDir, "app"),
      DATABASE_URL: database!.target.url,
      LOG_LEVEL: "info",
      SRCWATCH_QUEUE_MAINTENANCE_SECONDS: "2",
      SRCWATCH_WORKER_POLL_CONCURRENCY: "2",
      ...clock.env,
    });
    workers.push(worker);
    return worker;
  };
  const state = () =>
    workers.map((worker, index) => `worker ${index + 1} (running ${isWorkerRunning(worker)}):\n${worker.output().slice(-4000)}`).join("\n");

  beforeAll(async () => {
    clock = createScenarioClock({ scenarioOrigin: SCENARIO_ORIGIN, speed: 1, realOrigin: Date.now() });
    simulator = await startSimulator({ scenario: "june-2023", clock, port: 0, dataDir: path.join(tempDir, "simulator") });
    catcher = await startMailCatcher({ port: 0 });
    const config = {
      upstreams: [{ ...harnessCsafUpstream(simulator, "2023-04-01"), pollTimeoutSeconds: POLL_TIMEOUT_SECONDS }],
      mirrors: [{ ...harnessGitCentosMirror(simulator), pollTimeoutSeconds: 120 }],
      notifications: {
        publicUrl: "https://srcwatch.example.org",
        email: { smtp: { host: "127.0.0.1", port: catcher.port }, from: "srcwatch <alerts@srcwatch.example.org>" },
      },
    };
    writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
    database = await createTestDatabase("postgres");
    const subscribedAt = new Date("2023-06-01T00:00:00Z");
    const scope = encodeSubscriptionScope({ mirrors: [], majors: [], kinds: ["publishing_stopped"], severities: [], packagePatterns: [] });
    await database.db.subscription.create({
      data: { email: SUBSCRIBER, status: "active", scope, createdAt: subscribedAt, confirmedAt: subscribedAt },
    });
  }, SLOW_TEST_MS);

  afterAll(async () => {
    for (const worker of workers) if (isWorkerRunning(worker)) await killWorkerHard(worker);
    await catcher?.close();
    await simulator?.close();
    await database?.drop();
    rmSync(tempDir, { recursive: true, force: true });
  }, 60_000);

  it(
    "survives a worker killed mid-poll: the job is taken over, nothing is polled twice at once, every verdict is there, one mail",
    async () => {
      const db: Db = database!.db;
      // Each advisory document answers slowly during the first sync, so that the kill lands inside it.
      simulator!.setFault("csaf", { mode: "slow", delayMs: 150, pathIncludes: ".json" });
      // Three workers start together: one migrates (the others wait), all share the queue.
      const started = [spawnWorker(), spawnWorker(), spawnWorker()];

      // The upstream's first sync fetches hundreds of documents: kill whichever worker runs it while it does.
      const holder = await waitUntil(
        "a worker in the middle of the first upstream sync",
        async () => {
          const running = await db.pollRun.findFirst({ where: { sourceId: UPSTREAM, outcome: "running" } });
          if (!running) return null;
          return started.find((worker) => /"sourceId":"redhat-csaf"[^\n]*"step":"fetching advisories"/.test(worker.output())) ?? null;
        },
        WAIT_MS,
        state,
      );
      await killWorkerHard(holder);
      const killedAt = clock.now();
      simulator!.setFault("csaf", null);

      // Another worker takes the expired job over, closes the dead run and syncs.
      const synced = await waitUntil(
        "the upstream sync finished by another worker",
        async () => db.pollRun.findFirst({ where: { sourceId: UPSTREAM, outcome: "success", finishedAt: { not: null } } }),
        WAIT_MS,
        state,
      );
      expect(synced.startedAt.getTime()).toBeGreaterThan(killedAt.getTime() - 1000);
      const interrupted = await db.pollRun.findMany({ where: { sourceId: UPSTREAM, errorMessage: { contains: "interrupted" } } });
      expect(interrupted, state()).toHaveLength(1);

      // The mirror is polled after the sync, the stop fires and its mail goes out.
      await catcher!
        .waitFor((mail) => FIRING_SUBJECT.test(mail.subject), WAIT_MS)
        .catch((error: Error) => {
          throw new Error(`${error.message}\n${state()}`);
        });
      // Every package of the majors the mirror tracks has its verdict there (none lost to the kill).
      const packages = await db.package.count({ where: { major: { in: [8, 9] } } });
      const verdicts = await db.verdict.count({ where: { mirrorId: CENTOS } });
      expect(packages).toBeGreaterThan(100);
      expect(verdicts).toBe(packages);

      // Long enough for a second copy of anything to go out, then stop the survivors gracefully.
      await sleep(8000);
      for (const worker of started.filter(isWorkerRunning))
        expect(await stopWorkerGracefully(worker), state()).toEqual({ code: 0, signal: null });

      // No source was ever polled by two workers at once: per source, each run started after the previous one ended.
      const runs = await db.pollRun.findMany({ orderBy: [{ sourceId: "asc" }, { startedAt: "asc" }] });
      for (const sourceId of [UPSTREAM, CENTOS]) {
        const ofSource = runs.filter((run) => run.sourceId === sourceId);
        expect(ofSource.length).toBeGreaterThan(0);
        for (let index = 1; index < ofSource.length; index++) {
          const previous = ofSource[index - 1];
          expect(previous.finishedAt, `run #${previous.id} of ${sourceId} finished`).not.toBeNull();
          if (previous.errorMessage?.includes("interrupted")) continue; // closed by its successor, after it died
          expect(ofSource[index].startedAt.getTime(), `run #${ofSource[index].id} of ${sourceId}`).toBeGreaterThanOrEqual(
            previous.finishedAt!.getTime(),
          );
        }
      }
      expect(runs.filter((run) => run.outcome === "running")).toEqual([]);

      const firing = catcher!.messages().filter((mail) => FIRING_SUBJECT.test(mail.subject));
      expect(firing.map((mail) => mail.to)).toEqual([[SUBSCRIBER]]);
      const ids = catcher!.messages().map((mail) => mail.messageId);
      expect(new Set(ids).size).toBe(ids.length);
    },
    SLOW_TEST_MS,
  );
});
