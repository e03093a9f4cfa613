import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyPendingMigrations } from "../../prisma/migrate";
import { createDb, type Db } from "../../server/db/client";
import { resolveDatabaseTarget, type DatabaseTarget } from "../../server/db/database-target";
import { buildOutboxMessageId } from "../../server/notifications/build-outbox-message-id";
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
import { encodeSubscriptionScope } from "../../core/subscription-scope";

/**
 * Acceptance: "Worker killed between alert creation and delivery, then restarted: exactly one mail per subscriber."
 * A real worker process (tsx worker/main.ts) against the simulator; SMTP is down while the stop alert fires and its
 * mails are queued and retried, then SMTP hangs so the worker holds both rows claimed mid-send when it is SIGKILLed
 * (no graceful stop); SMTP comes back and a second worker takes the rows over once the dead worker's claim expires.
 */

const CENTOS = "git.centos.org";
const SUBSCRIBERS = ["first-maintainer@example.org", "second-maintainer@example.org"];
const FIRING_SUBJECT = /FIRING: git\.centos\.org stopped publishing RHEL 8/;
/** Six days after the cut-off: the stop of RHEL 8 is long due, the history since April is there to learn the lag from. */
const SCENARIO_ORIGIN = new Date("2023-06-20T00:00:00Z");
const CLAIM_SECONDS = 5;
/** Real processes on a loaded 2-core machine: generous bounds, never asserted as timings. */
const WAIT_MS = 180_000;
const SLOW_TEST_MS = 420_000;

const ALL_KINDS_SCOPE = encodeSubscriptionScope({
  mirrors: [],
  majors: [],
  kinds: ["publishing_stopped", "update_missing", "update_delayed", "mirror_stale"],
  severities: [],
  packagePatterns: [],
});

describe(`a worker killed between alert creation and delivery (${testDatabaseProvider()})`, () => {
  const tempDir = mkdtempSync(path.join(os.tmpdir(), "srcwatch-killed-worker-"));
  const dataDir = path.join(tempDir, "app");
  const configPath = path.join(tempDir, "config.json");
  let clock: ScenarioClock;
  let simulator: Simulator | undefined;
  let catcher: MailCatcher | undefined;
  let db: Db | undefined;
  let sqliteTarget: DatabaseTarget | undefined;
  let pgDatabase: TestDatabase | undefined;
  let databaseUrl: string | undefined;
  const workers: WorkerProcess[] = [];

  function spawnWorker(): WorkerProcess {
    const worker = spawnWorkerProcess({
      SRCWATCH_CONFIG: configPath,
      SRCWATCH_DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      ...clock.env,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    });
    workers.push(worker);
    return worker;
  }
  const isRunning = isWorkerRunning;
  const killHard = killWorkerHard;
  const stopGracefully = stopWorkerGracefully;

  const state = () =>
    workers
      .map((worker, index) => `worker ${index + 1} (pid ${worker.child.pid}, running ${isRunning(worker)}) output:\n${worker.output()}`)
      .join("\n");

  beforeAll(async () => {
    mkdirSync(dataDir, { recursive: true });
    clock = createScenarioClock({ scenarioOrigin: SCENARIO_ORIGIN, speed: 1, realOrigin: Date.now() });
    simulator = await startSimulator({ scenario: "june-2023", clock, port: 0, dataDir: path.join(tempDir, "simulator") });
    catcher = await startMailCatcher({ port: 0 });
    // SMTP down from the start: whatever the first worker queues cannot leave.
    await catcher.stop();

    const config = {
      upstreams: [harnessCsafUpstream(simulator, "2023-04-01")],
      mirrors: [harnessGitCentosMirror(simulator)],
      notifications: {
        publicUrl: "https://srcwatch.example.org",
        email: { smtp: { host: "127.0.0.1", port: catcher.port }, from: "srcwatch <alerts@srcwatch.example.org>" },
        delivery: { claimSeconds: CLAIM_SECONDS, backoffBaseSeconds: 1, backoffMaxSeconds: 2, maxAttempts: 50 },
      },
    };
    writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);

    if (testDatabaseProvider() === "postgres") {
      pgDatabase = await createTestDatabase("postgres");
      db = pgDatabase.db;
      databaseUrl = pgDatabase.target.url;
    } else {
      sqliteTarget = resolveDatabaseTarget(undefined, dataDir);
      await applyPendingMigrations(sqliteTarget);
      db = createDb(sqliteTarget);
    }
    const subscribedAt = new Date("2023-06-01T00:00:00Z");
    for (const email of SUBSCRIBERS) {
      await db.subscription.create({
        data: { email, status: "active", scope: ALL_KINDS_SCOPE, createdAt: subscribedAt, confirmedAt: subscribedAt },
      });
    }
  }, SLOW_TEST_MS);

  afterAll(async () => {
    for (const worker of workers) if (isRunning(worker)) await killHard(worker);
    await catcher?.close();
    await simulator?.close();
    if (pgDatabase) await pgDatabase.drop();
    else await db?.$disconnect();
    rmSync(tempDir, { recursive: true, force: true });
  }, 60_000);

  it(
    "delivers the stop's FIRING mail exactly once per subscriber after a SIGKILL mid-send while SMTP was down",
    async () => {
      const database = db!;
      const mailCatcher = catcher!;
      const subscriptions = await database.subscription.findMany({ orderBy: { id: "asc" } });
      const subscriptionIds = subscriptions.map((subscription) => subscription.id);

      // 1. First worker: the stop fires, its mails are queued in the same transaction, every send attempt fails.
      const first = spawnWorker();
      const queuedStop = await waitUntil(
        "the publishing_stopped alert of git.centos.org RHEL 8 with a queued mail per subscriber, tried at least twice while SMTP is down",
        async () => {
          if (!isRunning(first)) throw new Error(`the first worker exited early\n${first.output()}`);
          const alert = await database.alert.findFirst({
            where: { kind: "publishing_stopped", mirrorId: CENTOS, major: 8, status: "firing" },
          });
          if (!alert) return null;
          const fired = await database.alertEvent.findFirst({ where: { alertId: alert.id, type: "fired" } });
          if (!fired) return null;
          const rows = await database.outboxMessage.findMany({
            where: { alertEventId: fired.id, channel: "email" },
            orderBy: { subscriptionId: "asc" },
          });
          if (rows.length < SUBSCRIBERS.length || rows.some((row) => row.attempts < 2)) return null;
          return { alert, fired, rows };
        },
        WAIT_MS,
        state,
      );

      // 2. SMTP now accepts connections but never greets: the next pass claims both rows and hangs in the send.
      //    The kill lands there, with the rows claimed ("sending") by a worker that will never finish them.
      const sockets = new Set<net.Socket>();
      const silentSmtp = net.createServer((socket) => {
        sockets.add(socket);
        socket.on("error", () => undefined);
      });
      await new Promise<void>((resolve, reject) => silentSmtp.once("error", reject).listen(mailCatcher.port, "127.0.0.1", () => resolve()));
      try {
        await waitUntil(
          "both queued mails claimed by the first worker while its SMTP connection hangs",
          async () => {
            if (!isRunning(first)) throw new Error(`the first worker exited early\n${first.output()}`);
            const rows = await database.outboxMessage.findMany({ where: { id: { in: queuedStop.rows.map((row) => row.id) } } });
            return sockets.size > 0 && rows.every((row) => row.status === "sending");
          },
          WAIT_MS,
          state,
        );
        await killHard(first);
      } finally {
        for (const socket of sockets) socket.destroy();
        await new Promise<void>((resolve) => silentSmtp.close(() => resolve()));
      }
      const atKill = await database.outboxMessage.findMany({ where: { alertEventId: queuedStop.fired.id }, orderBy: { id: "asc" } });
      console.log(
        `killed worker 1 with ${queuedStop.alert.summary} queued: ${atKill
          .map(
            (row) =>
              `#${row.id} ${row.recipient} ${row.status} attempts=${row.attempts} lockedUntil=${row.lockedUntil?.toISOString() ?? "-"} lastError=${row.lastError}`,
          )
          .join("; ")}`,
      );
      expect(queuedStop.fired.notified).toBe(true);
      expect(atKill.map((row) => row.subscriptionId)).toEqual(subscriptionIds);
      expect(atKill.map((row) => row.recipient)).toEqual(SUBSCRIBERS);
      expect(atKill.map((row) => row.status)).toEqual(["sending", "sending"]);
      expect(atKill.every((row) => row.attempts >= 2)).toBe(true);
      expect(atKill.every((row) => row.sentAt === null)).toBe(true);
      expect(mailCatcher.messages()).toEqual([]);

      // This test keeps its own connection open while the second worker starts, as the web app would: the worker's
      // start-up migration step must not need the database to itself (it once did, on a SQLite file in WAL mode).

      // 3. SMTP is back; a second worker takes over what the dead one left behind.
      await mailCatcher.start();
      const second = spawnWorker();
      for (const email of SUBSCRIBERS) {
        await mailCatcher
          .waitFor((mail) => FIRING_SUBJECT.test(mail.subject) && mail.to.includes(email), WAIT_MS)
          .catch((error: Error) => {
            throw new Error(`${error.message}\n${state()}`);
          });
      }
      // Longer than a claim and a few delivery passes: a second copy would have had every chance to go out.
      await sleep((CLAIM_SECONDS + 6) * 1000);
      expect(isRunning(second), state()).toBe(true);
      // A graceful stop lets a delivery in flight finish recording itself before the books are compared.
      const stopped = await stopGracefully(second);
      expect(stopped, state()).toEqual({ code: 0, signal: null });

      const firingMails = mailCatcher.messages().filter((mail) => FIRING_SUBJECT.test(mail.subject));
      expect(firingMails.map((mail) => mail.to).sort()).toEqual(SUBSCRIBERS.map((email) => [email]));

      const afterRestart = await database.outboxMessage.findMany({ where: { alertEventId: queuedStop.fired.id }, orderBy: { id: "asc" } });
      console.log(
        `after the restart: ${afterRestart.map((row) => `#${row.id} ${row.recipient} ${row.status} attempts=${row.attempts}`).join("; ")}`,
      );
      expect(afterRestart.map((row) => ({ id: row.id, subscriptionId: row.subscriptionId, status: row.status }))).toEqual(
        atKill.map((row) => ({ id: row.id, subscriptionId: row.subscriptionId, status: "sent" })),
      );
      for (const row of afterRestart) {
        expect(row.sentAt).not.toBeNull();
        const copies = mailCatcher.messages().filter((mail) => mail.messageId === buildOutboxMessageId(row));
        expect(
          copies.map((mail) => mail.to),
          `mails carrying the Message-ID of outbox row #${row.id}`,
        ).toEqual([[row.recipient]]);
      }

      // Nothing else went out twice either, and nothing went out without an outbox row marked sent.
      const caught = mailCatcher.messages();
      const messageIds = caught.map((mail) => mail.messageId);
      expect(new Set(messageIds).size).toBe(messageIds.length);
      const sentRows = await database.outboxMessage.findMany({ where: { channel: "email", status: "sent" } });
      expect(messageIds.sort()).toEqual(sentRows.map((row) => buildOutboxMessageId(row)).sort());
    },
    SLOW_TEST_MS,
  );
});
