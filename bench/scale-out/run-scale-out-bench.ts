// Issue 14's benchmark: throughput of 1, 2 and 4 worker processes on PostgreSQL (pg-boss), as a ratio to one worker,
// measured in one run on the same sources. The work is I/O-bound on purpose, as polling and delivery are in production:
// every mirror index and every webhook answers after a fixed latency from a local origin.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { parseConfig } from "../../server/config/load-config";
import { createTestDatabase, type TestDatabase } from "../../test/support/test-database";
import { recordAlertEvent } from "../../test/support/notification-fixtures";
import {
  isWorkerRunning,
  killWorkerHard,
  spawnWorkerProcess,
  stopWorkerGracefully,
  waitUntil,
  type WorkerProcess,
} from "../../test/support/worker-process";
import { ratioFigure, type BenchFigure, type BenchOptions, type BenchSection } from "../bench-report";

interface Sizes {
  workerCounts: number[];
  mirrors: number;
  webhooks: number;
  /** Alert events queued at once: each becomes one message per webhook. */
  events: number;
  /** How long the origin takes to answer an index or a webhook. */
  latencyMs: number;
  pollWindowSeconds: number;
  pollConcurrency: number;
}

const FULL: Sizes = {
  workerCounts: [1, 2, 4],
  mirrors: 32,
  webhooks: 10,
  events: 60,
  latencyMs: 250,
  pollWindowSeconds: 40,
  pollConcurrency: 2,
};
const SMOKE: Sizes = { workerCounts: [1, 2], mirrors: 4, webhooks: 2, events: 3, latencyMs: 50, pollWindowSeconds: 5, pollConcurrency: 2 };
const TARGET_TWO_WORKERS = 1.7;

/** Mirror indexes (an empty SRPM listing), an empty CSAF feed and webhooks, each answering after `latencyMs`. */
async function startSlowOrigin(latencyMs: number): Promise<{ origin: string; hooks: () => number; close(): Promise<void> }> {
  let hooks = 0;
  const server = http.createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      setTimeout(() => {
        const url = request.url ?? "/";
        if (url.startsWith("/hook/")) {
          hooks += 1;
          response.writeHead(200, { "Content-Type": "text/plain" }).end("ok");
        } else if (url.endsWith(".csv")) {
          response.writeHead(200, { "Content-Type": "text/csv" }).end("");
        } else {
          response
            .writeHead(200, { "Content-Type": "text/html" })
            .end("<html><head><title>Index of /</title></head><body><pre></pre></body></html>\n");
        }
      }, latencyMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    hooks: () => hooks,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function buildConfig(origin: string, sizes: Sizes) {
  const local = { egress: { allowPrivateNetwork: true }, retries: 0, timeoutMs: 10_000, perHostMinIntervalMs: 0, concurrency: 64 };
  return {
    upstreams: [
      {
        id: "feed",
        kind: "csaf",
        name: "Feed",
        baseUrl: `${origin}/csaf/`,
        startDate: "2023-01-01",
        majors: [8],
        pollIntervalSeconds: 3600,
        ...local,
      },
    ],
    mirrors: Array.from({ length: sizes.mirrors }, (_, index) => ({
      id: `mirror-${index}`,
      kind: "srpm-index",
      name: `Mirror ${index}`,
      majors: [8],
      indexUrlTemplate: `${origin}/m${index}/ol{major}/`,
      // Due again as soon as polled: throughput is bounded by the workers, not by the schedule.
      pollIntervalSeconds: 1,
      ...local,
    })),
    notifications: {
      publicUrl: "https://srcwatch.example.org",
      webhooks: Array.from({ length: sizes.webhooks }, (_, index) => ({
        id: `hook-${index}`,
        url: `${origin}/hook/${index}`,
        format: "json",
      })),
      delivery: { claimSeconds: 60, backoffBaseSeconds: 1, backoffMaxSeconds: 2, maxAttempts: 5 },
    },
  };
}

interface Throughput {
  workers: number;
  pollsPerMinute: number;
  messagesPerMinute: number;
}

async function measure(workerCount: number, sizes: Sizes, origin: { origin: string; hooks: () => number }): Promise<Throughput> {
  const tempDir = mkdtempSync(path.join(os.tmpdir(), "srcwatch-scale-out-"));
  const configPath = path.join(tempDir, "config.json");
  const rawConfig = buildConfig(origin.origin, sizes);
  writeFileSync(configPath, JSON.stringify(rawConfig));
  const config = parseConfig(rawConfig, "scale-out bench config");
  let database: TestDatabase | undefined;
  const workers: WorkerProcess[] = [];
  const state = () => workers.map((worker, index) => `worker ${index + 1}:\n${worker.output().slice(-3000)}`).join("\n");
  try {
    database = await createTestDatabase("postgres");
    const { db } = database;
    for (let index = 0; index < workerCount; index++) {
      workers.push(
        spawnWorkerProcess({
          SRCWATCH_CONFIG: configPath,
          SRCWATCH_DATA_DIR: path.join(tempDir, "app"),
          DATABASE_URL: database.target.url,
          LOG_LEVEL: "warn",
          SRCWATCH_WORKER_POLL_CONCURRENCY: String(sizes.pollConcurrency),
          SRCWATCH_QUEUE_MAINTENANCE_SECONDS: "5",
        }),
      );
    }
    // Started once every source has been polled: every worker is up and taking jobs.
    await waitUntil(
      "every source polled once",
      async () => (await db.sourceState.count({ where: { lastSuccessAt: { not: null } } })) >= sizes.mirrors + 1,
      180_000,
      state,
    );
    await sleep(3000);

    // Polls: finished runs over a window of real time.
    const pollsBefore = await db.pollRun.count({ where: { finishedAt: { not: null } } });
    const pollStart = Date.now();
    await sleep(sizes.pollWindowSeconds * 1000);
    const polls = (await db.pollRun.count({ where: { finishedAt: { not: null } } })) - pollsBefore;
    const pollsPerMinute = (polls / ((Date.now() - pollStart) / 1000)) * 60;

    // Delivery: queue events × webhooks messages at once, and time until all are sent.
    const hooksBefore = origin.hooks();
    const deliveryStart = Date.now();
    for (let index = 0; index < sizes.events; index++) await recordAlertEvent(db, config, { mirrorId: "mirror-0", now: new Date() });
    const messages = await db.outboxMessage.count({ where: { channel: "webhook" } });
    await waitUntil(
      `${messages} webhook messages sent`,
      async () => (await db.outboxMessage.count({ where: { channel: "webhook", status: "sent" } })) >= messages,
      300_000,
      state,
    );
    const messagesPerMinute = (messages / ((Date.now() - deliveryStart) / 1000)) * 60;
    if (origin.hooks() - hooksBefore < messages) throw new Error("the origin received fewer webhooks than were recorded as sent");
    for (const worker of workers.filter(isWorkerRunning)) await stopWorkerGracefully(worker);
    return { workers: workerCount, pollsPerMinute, messagesPerMinute };
  } finally {
    for (const worker of workers) if (isWorkerRunning(worker)) await killWorkerHard(worker);
    await database?.drop();
    rmSync(tempDir, { recursive: true, force: true });
  }
}

async function isPostgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres" });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function runScaleOutBench(options: BenchOptions): Promise<BenchSection> {
  const sizes = options.smoke ? SMOKE : FULL;
  const parameters = {
    ...sizes,
    workerCounts: sizes.workerCounts.join(", "),
    cpus: os.cpus().length,
    database: "PostgreSQL (TEST_POSTGRES_URL)",
    work: `srpm-index mirrors polled every second, ${sizes.events} alert events × ${sizes.webhooks} JSON webhooks; the origin answers after ${sizes.latencyMs} ms`,
  };
  if (!(await isPostgresReachable())) {
    return { name: "scale-out", parameters: { ...parameters, skipped: "no PostgreSQL at TEST_POSTGRES_URL" }, figures: [] };
  }
  const origin = await startSlowOrigin(sizes.latencyMs);
  try {
    const results: Throughput[] = [];
    for (const count of sizes.workerCounts) {
      const result = await measure(count, sizes, origin);
      console.error(
        `[scale-out] ${count} worker(s): ${result.pollsPerMinute.toFixed(0)} polls/min, ${result.messagesPerMinute.toFixed(0)} messages/min`,
      );
      results.push(result);
    }
    const one = results[0];
    const figures: BenchFigure[] = results.slice(1).flatMap((result) => {
      const target = result.workers === 2 ? `≥ ${TARGET_TWO_WORKERS}× one worker` : "grows with the workers (reported)";
      const isMet = (_value: number, ratio: number | null) =>
        result.workers === 2 ? (ratio ?? 0) >= TARGET_TWO_WORKERS : (ratio ?? 0) > 1;
      return [
        ratioFigure({
          metric: `sources polled per minute, ${result.workers} workers`,
          value: result.pollsPerMinute,
          baseline: one.pollsPerMinute,
          target,
          isMet,
        }),
        ratioFigure({
          metric: `outbox messages sent per minute, ${result.workers} workers`,
          value: result.messagesPerMinute,
          baseline: one.messagesPerMinute,
          target,
          isMet,
        }),
      ];
    });
    return { name: "scale-out", parameters, figures };
  } finally {
    await origin.close();
  }
}
