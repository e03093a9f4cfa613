import PgBoss from "pg-boss";
import pg from "pg";
import { z } from "zod";
import type { MirrorConfig, UpstreamConfig } from "../../core/config";
import { computeNextPollDelaySeconds } from "../../core/next-poll-delay";
import { evaluateAlertsWhenDue } from "../../server/alerts/evaluate-alerts-when-due";
import { failInterruptedPollRuns } from "../../server/poll-runs/start-poll-run";
import { evaluateMirrorVerdicts } from "../../server/verdicts/evaluate-mirror-verdicts";
import { pollMirror } from "../poll-mirror";
import { pollUpstream } from "../poll-upstream";
import type { WorkerDeps } from "../worker-deps";
import type { EvaluationLock } from "./evaluation-lock";
import { runWorkLoop } from "./run-work-loop";

/** One job per source and turn; the queue holds at most one waiting and one running per source (stately, keyed). */
export const POLL_QUEUE = "srcwatch-poll";
/**
 * Verdicts and alerts of one mirror: `short` and keyed by the mirror, so at most one waits per mirror (a request while one
 * waits is already answered by it: an evaluation reads what is there when it runs); one runs at a time per mirror (an
 * advisory lock).
 */
export const EVALUATE_QUEUE = "srcwatch-evaluate";
/** Once a minute (pg-boss's cron, one job per minute whatever the number of workers): an evaluation job per mirror. */
export const EVALUATE_ALL_QUEUE = "srcwatch-evaluate-all";

/** pg-boss keeps its tables in their own schema, beside ours. */
export const JOB_SCHEMA = "pgboss";

/** How long past its own deadline a poll job may run before the queue takes it for dead and gives it to another worker. */
const POLL_EXPIRY_MARGIN_SECONDS = 30;
const EVALUATE_EXPIRY_SECONDS = 900;

export interface JobQueueOptions {
  databaseUrl: string;
  /** Poll jobs this process runs at once. */
  pollConcurrency: number;
  /** How often pg-boss looks for expired jobs (a dead worker's) and retries them; default 60 s. */
  maintenanceIntervalSeconds?: number;
  /** Seconds between two looks for new jobs; default 1. */
  pollingIntervalSeconds?: number;
  /** Scenario seconds per real second (the demo's clock): intervals are scenario time, the queue waits in real time. */
  clockSpeed: number;
  /** One evaluation of a mirror at a time across every worker. */
  evaluationLock: EvaluationLock;
  /** Real seconds between two checks that every source has its next poll queued; default 60. */
  superviseIntervalSeconds?: number;
}

type Source = { kind: "upstream"; config: UpstreamConfig } | { kind: "mirror"; config: MirrorConfig };
const PollJobData = z.object({ sourceId: z.string().min(1) });
type PollJobData = z.infer<typeof PollJobData>;
const EvaluateJobData = z.object({ mirrorId: z.string().min(1) });
type EvaluateJobData = z.infer<typeof EvaluateJobData>;

/**
 * A job's data as its queue defines it. Anything else (a hand-made job, another version's) fails the job: pg-boss
 * retries it, then keeps it failed, and the other jobs go on meanwhile.
 */
function readJobData<T>(schema: z.ZodType<T>, job: PgBoss.Job<unknown>): T {
  const parsed = schema.safeParse(job.data);
  if (!parsed.success)
    throw new Error(`job ${job.id} of ${job.name} carries data this worker cannot read: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/**
 * The worker on PostgreSQL: polls and evaluations are pg-boss jobs, so any number of worker processes share them and a
 * dead worker's job is retried by another once it expires. A poll job queues its own successor (the source's interval, or
 * its failure backoff) before it ends; each worker checks every minute that every source has one queued, which restores
 * the chain after a job failed for good. Outbox delivery, digests and clean-up stay on the in-process loop: they are
 * claimable rows already (worker/scheduler.ts with runsPollsAndEvaluations false).
 */
export async function startJobQueue(deps: WorkerDeps, options: JobQueueOptions): Promise<{ stop(): Promise<void> }> {
  const log = deps.logger.child({ component: "job-queue" });
  const sources = new Map<string, Source>([
    ...deps.config.upstreams.map((config) => [config.id, { kind: "upstream", config }] as [string, Source]),
    ...deps.config.mirrors.map((config) => [config.id, { kind: "mirror", config }] as [string, Source]),
  ]);
  const realSeconds = (scenarioSeconds: number) => Math.max(1, Math.round(scenarioSeconds / options.clockSpeed));

  const boss = new PgBoss({
    connectionString: options.databaseUrl,
    schema: JOB_SCHEMA,
    application_name: "srcwatch-worker",
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 60,
    // Completed and failed jobs are kept a week for inspection, then deleted by pg-boss's maintenance.
    deleteAfterDays: 7,
  });
  boss.on("error", (error: Error) => log.error({ err: error }, "job queue error"));
  // Workers that start together would create the queues together: pg-boss's createQueue then deadlocks on its tables.
  await withSetupLock(options.databaseUrl, async () => {
    await boss.start();
    await boss.createQueue(POLL_QUEUE, { name: POLL_QUEUE, policy: "stately", retryLimit: 2, retryDelay: 30, retryBackoff: true });
    await boss.createQueue(EVALUATE_QUEUE, { name: EVALUATE_QUEUE, policy: "short", retryLimit: 3, retryDelay: 5, retryBackoff: true });
    await boss.createQueue(EVALUATE_ALL_QUEUE, { name: EVALUATE_ALL_QUEUE, policy: "standard", retryLimit: 0 });
    await boss.schedule(EVALUATE_ALL_QUEUE, "* * * * *", {}, { tz: "UTC" });
  });

  const sendPoll = (source: Source, delaySeconds: number) =>
    boss.send(POLL_QUEUE, { sourceId: source.config.id } satisfies PollJobData, {
      singletonKey: source.config.id,
      startAfter: delaySeconds,
      // Past the poll's own deadline the work is dead: another worker may take the job over.
      expireInSeconds: source.config.pollTimeoutSeconds + POLL_EXPIRY_MARGIN_SECONDS,
    });
  const sendEvaluate = (mirrorId: string) =>
    boss.send(EVALUATE_QUEUE, { mirrorId } satisfies EvaluateJobData, { singletonKey: mirrorId, expireInSeconds: EVALUATE_EXPIRY_SECONDS });

  const runPollJob = async (job: PgBoss.Job<unknown>) => {
    const { sourceId } = readJobData(PollJobData, job);
    const source = sources.get(sourceId);
    if (!source) {
      log.warn({ jobId: job.id, sourceId }, "poll job for a source no longer configured: dropped");
      return;
    }
    const jobDeps: WorkerDeps = { ...deps, logger: deps.logger.child({ jobId: job.id, queue: POLL_QUEUE }) };
    const interrupted = await failInterruptedPollRuns(deps.db, deps.now(), { sourceId: source.config.id });
    if (interrupted) jobDeps.logger.warn({ sourceId: source.config.id, interrupted }, "closed the poll run of a worker that died");
    let failed: boolean;
    if (source.kind === "upstream") {
      const result = await pollUpstream(jobDeps, source.config);
      failed = result.report.outcome === "failed";
      if (result.advisoriesWritten > 0) {
        for (const mirror of deps.config.mirrors) await sendEvaluate(mirror.id);
        // New packages: the mirrors look for them now rather than at the end of their interval.
        await pullPollsForward(deps.config.mirrors.map((mirror) => mirror.id));
      }
    } else {
      const result = await pollMirror(jobDeps, source.config);
      failed = result.report.outcome === "failed";
      await sendEvaluate(source.config.id);
    }
    const state = await deps.db.sourceState.findUnique({ where: { sourceId: source.config.id }, select: { consecutiveFailures: true } });
    const delay = computeNextPollDelaySeconds(source.config.pollIntervalSeconds, failed ? Math.max(1, state?.consecutiveFailures ?? 1) : 0);
    await sendPoll(source, realSeconds(delay));
  };

  /**
   * Moves the waiting poll jobs of these sources to now. pg-boss 10 has no call for it; one UPDATE of its job table
   * (through the partitioned parent, on the waiting job of each key alone) is atomic where cancel + send would race.
   */
  const pullPollsForward = async (sourceIds: string[]) => {
    if (sourceIds.length === 0) return;
    await deps.db.$executeRawUnsafe(
      `UPDATE "${JOB_SCHEMA}"."job" SET "start_after" = now()
       WHERE "name" = $1 AND "state" = 'created' AND "singleton_key" = ANY($2::text[]) AND "start_after" > now()`,
      POLL_QUEUE,
      sourceIds,
    );
  };

  const runEvaluateJob = async (job: PgBoss.Job<unknown>) => {
    const { mirrorId } = readJobData(EvaluateJobData, job);
    const mirror = deps.config.mirrors.find((candidate) => candidate.id === mirrorId);
    if (!mirror) return;
    const logger = deps.logger.child({ jobId: job.id, queue: EVALUATE_QUEUE, mirrorId: mirror.id });
    await options.evaluationLock.run(mirror.id, async () => {
      const verdicts = await evaluateMirrorVerdicts(deps.db, { mirror, now: deps.now() });
      if (verdicts.created || verdicts.changed) logger.info({ ...verdicts }, "verdicts updated");
      const alerts = await evaluateAlertsWhenDue(deps.db, { mirror, config: deps.config, now: deps.now() });
      if (alerts.fired || alerts.resolved || alerts.changed) logger.info({ ...alerts }, "alerts updated");
    });
  };

  const idleMs = (options.pollingIntervalSeconds ?? 1) * 1000;
  let isStopping = false;
  const loops: Promise<void>[] = [];
  const startLoops = (name: string, count: number, handle: (job: PgBoss.Job<unknown>) => Promise<void>) => {
    for (let index = 0; index < count; index++)
      loops.push(runWorkLoop(boss, name, handle, { idleMs, isStopping: () => isStopping, log: log.child({ queue: name }) }));
  };
  startLoops(POLL_QUEUE, options.pollConcurrency, runPollJob);
  startLoops(EVALUATE_QUEUE, 1, runEvaluateJob);
  startLoops(EVALUATE_ALL_QUEUE, 1, async () => {
    for (const mirror of deps.config.mirrors) await sendEvaluate(mirror.id);
  });

  /**
   * Every source has its next poll queued: after a fresh start (due now, or at the end of the interval since its last
   * poll), and after a job that failed for good (its chain broke). A source with a job waiting, retrying or running is
   * left alone; the check and the send are not atomic, and the keyed queue refuses a second waiting job anyway.
   */
  const superviseSchedule = async () => {
    const queued = await deps.db.$queryRawUnsafe<{ key: string }[]>(
      `SELECT DISTINCT "singleton_key" AS "key" FROM "${JOB_SCHEMA}"."job"
       WHERE "name" = $1 AND "state" IN ('created', 'retry', 'active')`,
      POLL_QUEUE,
    );
    const hasJob = new Set(queued.map((row) => row.key));
    for (const source of sources.values()) {
      if (hasJob.has(source.config.id)) continue;
      const state = await deps.db.sourceState.findUnique({
        where: { sourceId: source.config.id },
        select: { lastSuccessAt: true, lastFailureAt: true, consecutiveFailures: true },
      });
      const last = Math.max(state?.lastSuccessAt?.getTime() ?? 0, state?.lastFailureAt?.getTime() ?? 0);
      const dueAt =
        last === 0 ? 0 : last + computeNextPollDelaySeconds(source.config.pollIntervalSeconds, state?.consecutiveFailures ?? 0) * 1000;
      const scenarioDelaySeconds = Math.max(0, (dueAt - deps.now().getTime()) / 1000);
      const id = await sendPoll(source, scenarioDelaySeconds === 0 ? 0 : realSeconds(scenarioDelaySeconds));
      if (id) log.info({ sourceId: source.config.id, jobId: id, inSeconds: Math.round(scenarioDelaySeconds) }, "queued the next poll");
    }
  };
  const supervise = async () => {
    try {
      await superviseSchedule();
    } catch (error) {
      log.error({ err: error }, "could not check the poll schedule");
    }
  };
  await supervise();
  const superviseTimer = setInterval(() => void supervise(), (options.superviseIntervalSeconds ?? 60) * 1000);
  log.info({ pollConcurrency: options.pollConcurrency, sources: sources.size }, "job queue started");

  return {
    async stop() {
      clearInterval(superviseTimer);
      // The loops finish the jobs they hold and take no more; a job still running at a kill expires and is retried.
      isStopping = true;
      await Promise.all(loops);
      await boss.stop({ graceful: true, timeout: 30_000, wait: true });
    },
  };
}

/** Runs `run` while no other worker sets the job queue up (a session advisory lock of its own connection). */
async function withSetupLock<T>(databaseUrl: string, run: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "srcwatch-job-queue-setup" });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock(hashtext('srcwatch:job-queue-setup'))");
    return await run();
  } finally {
    await client.end();
  }
}
