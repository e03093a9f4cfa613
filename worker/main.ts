import { getClock } from "../server/clock";
import { loadConfig } from "../server/config/load-config";
import { createDb, getDatabaseTarget } from "../server/db/client";
import { getEnv } from "../server/env";
import { getLogger } from "../server/logger";
import { createMailer } from "../server/notifications/create-mailer";
import { prepareDatabase } from "./prepare-database";
import { deliverOutbox } from "./deliver-outbox";
import { runPollCycle } from "./run-poll-cycle";
import { createEvaluationLock, NO_EVALUATION_LOCK } from "./queue/evaluation-lock";
import { startJobQueue } from "./queue/start-job-queue";
import { startScheduler } from "./scheduler";
import { createDefaultHttpClientFactory, type WorkerDeps } from "./worker-deps";

/** npm run worker [-- --once] */
async function main(): Promise<void> {
  const env = getEnv();
  const logger = getLogger().child({ process: "worker" });
  const config = loadConfig(env.SRCWATCH_CONFIG);
  const clock = getClock();
  const target = getDatabaseTarget();
  const db = createDb(target);
  const queueKind = env.SRCWATCH_JOB_QUEUE ?? (target.provider === "postgres" ? "pg-boss" : "in-process");
  if (queueKind === "pg-boss" && target.provider !== "postgres")
    throw new Error("SRCWATCH_JOB_QUEUE=pg-boss needs PostgreSQL (DATABASE_URL)");
  const evaluationLock = target.provider === "postgres" ? createEvaluationLock(target.url, logger) : NO_EVALUATION_LOCK;
  await prepareDatabase({
    db,
    target,
    config,
    now: clock.now(),
    logger,
    evaluationLock,
    closesInterruptedPolls: queueKind === "in-process",
  });

  const deps: WorkerDeps = {
    db,
    config,
    now: () => clock.now(),
    logger,
    createHttpClient: createDefaultHttpClientFactory(config.userAgent),
    mailer: createMailer(config.notifications),
  };
  logger.info(
    {
      database: target.provider,
      config: env.SRCWATCH_CONFIG,
      upstreams: config.upstreams.map((u) => u.id),
      mirrors: config.mirrors.map((m) => m.id),
      clockSpeed: env.SRCWATCH_CLOCK_SPEED,
      jobQueue: queueKind,
    },
    "worker started",
  );
  const privateNetworkSources = [...config.upstreams, ...config.mirrors]
    .filter((source) => source.egress.allowPrivateNetwork)
    .map((source) => source.id);
  if (privateNetworkSources.length)
    logger.warn({ sources: privateNetworkSources }, "these sources may reach loopback and private addresses (egress.allowPrivateNetwork)");
  if (process.argv.includes("--once")) {
    await runPollCycle(deps);
    await deliverOutbox(deps);
    await evaluationLock.close();
    deps.mailer?.close();
    await db.$disconnect();
    return;
  }
  const speed = env.SRCWATCH_CLOCK_SPEED;
  const jobQueue =
    queueKind === "pg-boss"
      ? await startJobQueue(deps, {
          databaseUrl: target.url,
          pollConcurrency: env.SRCWATCH_WORKER_POLL_CONCURRENCY,
          maintenanceIntervalSeconds: env.SRCWATCH_QUEUE_MAINTENANCE_SECONDS,
          clockSpeed: speed,
          evaluationLock,
        })
      : null;
  const scheduler = startScheduler(deps, {
    // With a job queue the queue polls and evaluates; this loop delivers, bundles digests and cleans up.
    runsPollsAndEvaluations: jobQueue === null,
    tickMs: speed > 1 ? 200 : 500,
    // A fast scenario clock would have every source polled at every tick.
    minRealIntervalMs: speed > 1 ? 500 : 0,
    maxConcurrentPolls: env.SRCWATCH_WORKER_POLL_CONCURRENCY,
    evaluateIntervalSeconds: speed > 1 ? Math.max(60, speed * 2) : 60,
    deliveryIntervalMs: speed > 1 ? 500 : 1000,
    // Days pass in minutes on a fast clock: look for due digests more often.
    digestIntervalMs: speed > 1 ? 2000 : 60_000,
  });
  // One stop, however many signals ask for it: Ctrl-C in a terminal reaches the whole process group, so the worker gets
  // SIGINT from the terminal and again from the launcher that forwards it (scripts/run.mjs, npm, runTogether's SIGTERM).
  // A second signal must not end the process while the first stop waits for the polls and writes in flight.
  let isStopping = false;
  const shutdown = async (signal: string) => {
    if (isStopping) return;
    isStopping = true;
    logger.info({ signal }, "worker stopping");
    await Promise.all([scheduler.stop(), jobQueue?.stop()]);
    await evaluationLock.close();
    deps.mailer?.close();
    await db.$disconnect();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((error: unknown) => {
  getLogger().fatal({ err: error }, error instanceof Error ? error.message : "worker failed");
  process.exit(1);
});
