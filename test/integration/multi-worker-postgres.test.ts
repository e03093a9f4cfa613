import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import PgBoss from "pg-boss";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeSubscriptionScope } from "../../core/subscription-scope";
import { createDb, type Db } from "../../server/db/client";
import { JOB_SCHEMA, POLL_QUEUE } from "../../worker/queue/start-job-queue";
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
 * Issue 14's fault tests: real worker processes on one PostgreSQL database share the polls through pg-boss. A worker
 * SIGKILLed in the middle of the first upstream sync, twice; every connection of the workers terminated mid-sync; a
 * poison job. Each time: the work is taken over, nothing is polled twice at once, every dead run is closed as
 * interrupted, every package gets its verdict and the stop's mail reaches the subscriber once.
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

interface Cluster {
  clock: ScenarioClock;
  simulator: Simulator;
  catcher: MailCatcher;
  database: TestDatabase;
  /** The test's own reads, on connections named `srcwatch-test-…`: the cut spares them, so only the workers lose theirs. */
  db: Db;
  workers: WorkerProcess[];
  spawnWorker(): WorkerProcess;
  state(): string;
}

/** A simulator, an SMTP catcher, a fresh PostgreSQL database with one subscriber, and a way to start workers on them. */
function useCluster(): () => Cluster {
  const tempDir = mkdtempSync(path.join(os.tmpdir(), "srcwatch-multi-worker-"));
  const configPath = path.join(tempDir, "config.json");
  let cluster: Cluster | undefined;

  beforeAll(async () => {
    const clock = createScenarioClock({ scenarioOrigin: SCENARIO_ORIGIN, speed: 1, realOrigin: Date.now() });
    const simulator = await startSimulator({ scenario: "june-2023", clock, port: 0, dataDir: path.join(tempDir, "simulator") });
    const catcher = await startMailCatcher({ port: 0 });
    const config = {
      upstreams: [{ ...harnessCsafUpstream(simulator, "2023-04-01"), pollTimeoutSeconds: POLL_TIMEOUT_SECONDS }],
      mirrors: [{ ...harnessGitCentosMirror(simulator), pollTimeoutSeconds: 120 }],
      notifications: {
        publicUrl: "https://srcwatch.example.org",
        email: { smtp: { host: "127.0.0.1", port: catcher.port }, from: "srcwatch <alerts@srcwatch.example.org>" },
      },
    };
    writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
    const database = await createTestDatabase("postgres");
    const subscribedAt = new Date("2023-06-01T00:00:00Z");
    const scope = encodeSubscriptionScope({ mirrors: [], majors: [], kinds: ["publishing_stopped"], severities: [], packagePatterns: [] });
    await database.db.subscription.create({
      data: { email: SUBSCRIBER, status: "active", scope, createdAt: subscribedAt, confirmedAt: subscribedAt },
    });
    const observerUrl = new URL(database.target.url);
    observerUrl.searchParams.set("application_name", "srcwatch-test-observer");
    const db = createDb({ provider: "postgres", url: observerUrl.toString() });
    const workers: WorkerProcess[] = [];
    cluster = {
      clock,
      simulator,
      catcher,
      database,
      db,
      workers,
      spawnWorker() {
        const worker = spawnWorkerProcess({
          SRCWATCH_CONFIG: configPath,
          SRCWATCH_DATA_DIR: path.join(tempDir, "app"),
          DATABASE_URL: database.target.url,
          LOG_LEVEL: "info",
          SRCWATCH_QUEUE_MAINTENANCE_SECONDS: "2",
          SRCWATCH_WORKER_POLL_CONCURRENCY: "2",
          ...clock.env,
        });
        workers.push(worker);
        return worker;
      },
      state: () =>
        workers
          .map((worker, index) => `worker ${index + 1} (running ${isWorkerRunning(worker)}):\n${worker.output().slice(-4000)}`)
          .join("\n"),
    };
  }, SLOW_TEST_MS);

  afterAll(async () => {
    for (const worker of cluster?.workers ?? []) if (isWorkerRunning(worker)) await killWorkerHard(worker);
    await cluster?.catcher.close();
    await cluster?.simulator.close();
    await cluster?.db.$disconnect();
    await cluster?.database.drop();
    rmSync(tempDir, { recursive: true, force: true });
  }, 60_000);

  return () => cluster!;
}

/** The running worker whose log shows it inside the upstream's sync (the one holding its job; the dead are not running). */
function findSyncHolder(workers: readonly WorkerProcess[]): WorkerProcess | undefined {
  return workers.find(
    (worker) => isWorkerRunning(worker) && /"sourceId":"redhat-csaf"[^\n]*"step":"fetching advisories"/.test(worker.output()),
  );
}

/** Afterwards, per source: each poll run started once the previous one ended, unless that one was a dead worker's. */
async function expectNoSourcePolledTwiceAtOnce(db: Db, sourceIds: readonly string[]) {
  const runs = await db.pollRun.findMany({ orderBy: [{ sourceId: "asc" }, { startedAt: "asc" }] });
  for (const sourceId of sourceIds) {
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
}

/** Every package of the majors the mirror tracks has its verdict there, and the stop's mail went out exactly once. */
async function expectEveryVerdictAndOneMail(cluster: Cluster) {
  const { db } = cluster;
  const packages = await db.package.count({ where: { major: { in: [8, 9] } } });
  expect(packages).toBeGreaterThan(100);
  expect(await db.verdict.count({ where: { mirrorId: CENTOS } })).toBe(packages);
  const firing = cluster.catcher.messages().filter((mail) => FIRING_SUBJECT.test(mail.subject));
  expect(firing.map((mail) => mail.to)).toEqual([[SUBSCRIBER]]);
  const ids = cluster.catcher.messages().map((mail) => mail.messageId);
  expect(new Set(ids).size).toBe(ids.length);
}

async function waitForStopMail(cluster: Cluster) {
  await cluster.catcher
    .waitFor((mail) => FIRING_SUBJECT.test(mail.subject), WAIT_MS)
    .catch((error: Error) => {
      throw new Error(`${error.message}\n${cluster.state()}`);
    });
}

async function stopSurvivors(cluster: Cluster) {
  // Long enough for a second copy of anything to go out, then a graceful stop of whoever is left.
  await sleep(8000);
  for (const worker of cluster.workers.filter(isWorkerRunning))
    expect(await stopWorkerGracefully(worker), cluster.state()).toEqual({ code: 0, signal: null });
}

describe.skipIf(testDatabaseProvider() !== "postgres")("three workers on PostgreSQL (pg-boss), one SIGKILLed mid-poll, twice", () => {
  const getCluster = useCluster();

  it(
    "hands the dead worker's poll to another each time: nothing polled twice at once, every verdict there, one mail",
    async () => {
      const cluster = getCluster();
      const { db } = cluster;
      // Each advisory document answers slowly during the first sync, so that a kill lands inside it.
      cluster.simulator.setFault("csaf", { mode: "slow", delayMs: 150, pathIncludes: ".json" });
      // Three workers start together: one migrates (the others wait), all share the queue.
      for (let index = 0; index < 3; index++) cluster.spawnWorker();

      // The upstream's first sync fetches hundreds of documents: kill whichever worker runs it, twice, and start a
      // replacement each time so that three stay up.
      for (let kill = 1; kill <= 2; kill++) {
        const holder = await waitUntil(
          `a worker in the middle of the first upstream sync (kill ${kill})`,
          async () => findSyncHolder(cluster.workers),
          WAIT_MS,
          cluster.state,
        );
        await killWorkerHard(holder);
        cluster.spawnWorker();
      }
      const lastKillAt = cluster.clock.now();
      cluster.simulator.setFault("csaf", null);

      // Another worker takes the expired job over, closes the dead runs and syncs.
      const synced = await waitUntil(
        "the upstream sync finished by another worker",
        async () => db.pollRun.findFirst({ where: { sourceId: UPSTREAM, outcome: "success", finishedAt: { not: null } } }),
        WAIT_MS,
        cluster.state,
      );
      expect(synced.startedAt.getTime()).toBeGreaterThan(lastKillAt.getTime() - 1000);
      const interrupted = await db.pollRun.findMany({ where: { sourceId: UPSTREAM, errorMessage: { contains: "interrupted" } } });
      expect(interrupted, cluster.state()).toHaveLength(2);

      await waitForStopMail(cluster);
      await stopSurvivors(cluster);
      await expectNoSourcePolledTwiceAtOnce(db, [UPSTREAM, CENTOS]);
      await expectEveryVerdictAndOneMail(cluster);
    },
    SLOW_TEST_MS,
  );
});

describe.skipIf(testDatabaseProvider() !== "postgres")("two workers on PostgreSQL: connections cut mid-cycle, and a poison job", () => {
  const getCluster = useCluster();

  it(
    "reconnects after every backend is terminated, and fails the poison job after its retries without holding up the rest",
    async () => {
      const cluster = getCluster();
      const { db } = cluster;
      const { target } = cluster.database;
      cluster.simulator.setFault("csaf", { mode: "slow", delayMs: 150, pathIncludes: ".json" });
      cluster.spawnWorker();
      cluster.spawnWorker();
      await waitUntil(
        "the job queue started",
        async () => cluster.workers.every((worker) => /job queue started/.test(worker.output())),
        WAIT_MS,
        cluster.state,
      );

      // A job no handler can read: it must end failed after its retries while the polls go on.
      const boss = new PgBoss({
        connectionString: target.url,
        schema: JOB_SCHEMA,
        application_name: "srcwatch-test-boss",
        supervise: false,
        schedule: false,
        migrate: false,
      });
      boss.on("error", () => undefined);
      await boss.start();
      const poisonId = await boss.send(POLL_QUEUE, { nonsense: true }, { singletonKey: "poison", retryLimit: 2, retryDelay: 1 });
      expect(poisonId).not.toBeNull();

      // Cut every connection of the workers (the queue's, Prisma's, the locks') while the first sync runs.
      await waitUntil(
        "a worker in the middle of the first upstream sync",
        async () => findSyncHolder(cluster.workers),
        WAIT_MS,
        cluster.state,
      );
      const admin = new pg.Client({ connectionString: target.url, application_name: "srcwatch-test-admin" });
      await admin.connect();
      try {
        const { rows } = await admin.query<{ terminated: boolean }>(
          `SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity
           WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name NOT LIKE 'srcwatch-test-%'`,
        );
        expect(rows.filter((row) => row.terminated).length).toBeGreaterThan(2);
      } finally {
        await admin.end();
      }
      cluster.simulator.setFault("csaf", null);

      await waitUntil(
        "the upstream sync finished after the cut",
        async () => db.pollRun.findFirst({ where: { sourceId: UPSTREAM, outcome: "success", finishedAt: { not: null } } }),
        WAIT_MS,
        cluster.state,
      );
      await waitForStopMail(cluster);
      expect(cluster.workers.every(isWorkerRunning), cluster.state()).toBe(true);

      const poison = await waitUntil(
        "the poison job failed for good",
        async () => {
          const job = await boss.getJobById(POLL_QUEUE, poisonId!, { includeArchive: true });
          return job?.state === "failed" ? job : null;
        },
        WAIT_MS,
        cluster.state,
      );
      expect(poison.retryCount).toBe(2);
      expect(JSON.stringify(poison.output)).toContain("carries data this worker cannot read");
      await boss.stop({ graceful: false, wait: true });

      await stopSurvivors(cluster);
      await expectNoSourcePolledTwiceAtOnce(db, [UPSTREAM, CENTOS]);
      await expectEveryVerdictAndOneMail(cluster);
    },
    SLOW_TEST_MS,
  );
});
