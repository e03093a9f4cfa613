import type { MirrorConfig, UpstreamConfig } from "../core/config";
import { computeNextPollDelaySeconds } from "../core/next-poll-delay";
import { evaluateAlertsWhenDue } from "../server/alerts/evaluate-alerts-when-due";
import { evaluateMirrorVerdicts } from "../server/verdicts/evaluate-mirror-verdicts";
import { deleteAbandonedRows, type AbandonedRowsDeleted } from "./delete-abandoned-rows";
import { deliverOutbox, type DeliveryCounts } from "./deliver-outbox";
import { pollMirror } from "./poll-mirror";
import { pollUpstream } from "./poll-upstream";
import { sendDigests } from "./send-digests";
import type { WorkerDeps } from "./worker-deps";

export interface SchedulerOptions {
  /** Real milliseconds between scheduler ticks. */
  tickMs: number;
  /** Never poll one source more often than this in real time (a fast scenario clock would hammer it). */
  minRealIntervalMs: number;
  /** How many sources may poll at once. */
  maxConcurrentPolls: number;
  /** Scenario/real seconds between re-evaluations of time-driven verdicts (pending → delayed → missing, unknown). */
  evaluateIntervalSeconds: number;
  /** Real milliseconds between two passes over the outbox (mail, webhooks); default 1000. */
  deliveryIntervalMs?: number;
  /** Real milliseconds between two checks for due daily digests; default 60000. */
  digestIntervalMs?: number;
  /** Real milliseconds between two deletions of abandoned rows (the first right at start); default one hour. */
  cleanupIntervalMs?: number;
  /**
   * False when a job queue polls and evaluates (PostgreSQL with several workers, worker/queue/): this scheduler then only
   * delivers the outbox, bundles digests and cleans up, which are claimable rows every worker may work on. Default true.
   */
  runsPollsAndEvaluations?: boolean;
}

type Source = { kind: "upstream"; config: UpstreamConfig } | { kind: "mirror"; config: MirrorConfig };

/** The job handlers the scheduler runs; tests may hand in their own. */
export interface SchedulerJobs {
  pollUpstream(deps: WorkerDeps, upstream: UpstreamConfig): Promise<{ report: { outcome: string }; advisoriesWritten: number }>;
  pollMirror(deps: WorkerDeps, mirror: MirrorConfig): Promise<{ report: { outcome: string } }>;
  evaluateMirrorVerdicts(deps: WorkerDeps, mirror: MirrorConfig): Promise<{ created: number; changed: number; evaluated: number }>;
  /** Runs after every verdict evaluation of the mirror (the default runs the rules only when something they read changed). */
  evaluateAlerts(deps: WorkerDeps, mirror: MirrorConfig): Promise<{ fired: number; resolved: number; changed: number; queued: number }>;
  /** Sends what the outbox holds (absent: this scheduler delivers nothing, e.g. in tests of polling alone). */
  deliverOutbox?(deps: WorkerDeps): Promise<DeliveryCounts>;
  /** Bundles held notifications into daily digests when due. */
  sendDigests?(deps: WorkerDeps): Promise<{ digests: number }>;
  /** Deletes ended rate-limit buckets and never-confirmed subscriptions, a bounded amount per call. */
  deleteAbandonedRows?(deps: WorkerDeps): Promise<AbandonedRowsDeleted>;
}

const DEFAULT_JOBS: SchedulerJobs = {
  pollUpstream,
  pollMirror,
  evaluateMirrorVerdicts: (deps, mirror) => evaluateMirrorVerdicts(deps.db, { mirror, now: deps.now() }),
  evaluateAlerts: (deps, mirror) => evaluateAlertsWhenDue(deps.db, { mirror, config: deps.config, now: deps.now() }),
  deliverOutbox: (deps) => deliverOutbox(deps),
  sendDigests,
  deleteAbandonedRows,
};

interface SourceSchedule {
  source: Source;
  nextDueAt: number;
  lastRealStartMs: number;
  consecutiveFailures: number;
  running: boolean;
}

/** After a clean-up pass that hit its bound, the next one comes this soon (real ms) instead of a full interval later. */
const CLEANUP_CONTINUE_MS = 60_000;

/**
 * Per-source schedules on the injected clock (which a demo runs faster than real time).
 * A failing source is retried with backoff and never holds up the others.
 */
export function startScheduler(
  deps: WorkerDeps,
  options: SchedulerOptions,
  jobs: SchedulerJobs = DEFAULT_JOBS,
): { stop(): Promise<void>; idle(): Promise<void> } {
  const log = deps.logger.child({ component: "scheduler" });
  const now = () => deps.now().getTime();
  const runsPolls = options.runsPollsAndEvaluations ?? true;
  const sources: Source[] = runsPolls
    ? [
        ...deps.config.upstreams.map((config): Source => ({ kind: "upstream", config })),
        ...deps.config.mirrors.map((config): Source => ({ kind: "mirror", config })),
      ]
    : [];
  const schedules: SourceSchedule[] = sources.map((source) => ({
    source,
    nextDueAt: now(),
    lastRealStartMs: 0,
    consecutiveFailures: 0,
    running: false,
  }));
  let nextEvaluationAt = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const inFlight = new Set<Promise<void>>();

  // Evaluations of one mirror must not overlap: both would create the same new verdict rows.
  let evaluationChain: Promise<unknown> = Promise.resolve();
  const evaluate = (mirror: MirrorConfig) => {
    const next = evaluationChain.then(async () => {
      const result = await jobs.evaluateMirrorVerdicts(deps, mirror);
      if (result.created || result.changed) log.info({ mirrorId: mirror.id, ...result }, "verdicts updated");
      const alerts = await jobs.evaluateAlerts(deps, mirror);
      if (alerts.fired || alerts.resolved || alerts.changed) log.info({ mirrorId: mirror.id, ...alerts }, "alerts updated");
    });
    evaluationChain = next.catch(() => undefined);
    return next;
  };
  const evaluateAll = async () => {
    for (const mirror of deps.config.mirrors) await evaluate(mirror);
  };

  const run = async (schedule: SourceSchedule) => {
    const { source } = schedule;
    let failed = false;
    try {
      if (source.kind === "upstream") {
        const result = await jobs.pollUpstream(deps, source.config);
        failed = result.report.outcome === "failed";
        if (result.advisoriesWritten > 0) {
          await evaluateAll();
          // New packages: let the mirrors look for them now rather than at their next turn.
          for (const other of schedules) if (other.source.kind === "mirror") other.nextDueAt = Math.min(other.nextDueAt, now());
        }
      } else {
        const result = await jobs.pollMirror(deps, source.config);
        failed = result.report.outcome === "failed";
        await evaluate(source.config);
      }
    } catch (error) {
      failed = true;
      log.error({ err: error, sourceId: source.config.id }, "poll failed unexpectedly");
    }
    schedule.consecutiveFailures = failed ? schedule.consecutiveFailures + 1 : 0;
    schedule.nextDueAt = now() + computeNextPollDelaySeconds(source.config.pollIntervalSeconds, schedule.consecutiveFailures) * 1000;
  };

  // Delivery runs beside polling, never overlapping itself: a slow SMTP server must not hold up polls, nor polls mail.
  let deliveryTimer: NodeJS.Timeout | undefined;
  let delivering: Promise<void> = Promise.resolve();
  let lastDigestCheckMs = 0;
  const deliver = async () => {
    if (stopped || !jobs.deliverOutbox) return;
    try {
      if (jobs.sendDigests && Date.now() - lastDigestCheckMs >= (options.digestIntervalMs ?? 60_000)) {
        lastDigestCheckMs = Date.now();
        await jobs.sendDigests(deps);
      }
      for (let pass = 0; pass < 20 && !stopped; pass++) {
        const counts = await jobs.deliverOutbox(deps);
        if (counts.sent || counts.failed || counts.retried) log.info({ ...counts }, "outbox delivered");
        if (counts.claimed === 0) break;
      }
    } catch (error) {
      log.error({ err: error }, "outbox delivery failed");
    }
  };
  const scheduleDelivery = () => {
    if (stopped || !jobs.deliverOutbox) return;
    deliveryTimer = setTimeout(() => {
      delivering = deliver().finally(scheduleDelivery);
    }, options.deliveryIntervalMs ?? 1000);
  };
  scheduleDelivery();

  // Clean-up runs on its own timer too, never overlapping itself.
  let cleanupTimer: NodeJS.Timeout | undefined;
  let cleaning: Promise<void> = Promise.resolve();
  const cleanupIntervalMs = options.cleanupIntervalMs ?? 3_600_000;
  const scheduleCleanup = (delayMs: number) => {
    const job = jobs.deleteAbandonedRows;
    if (stopped || !job) return;
    cleanupTimer = setTimeout(() => {
      cleaning = job(deps).then(
        (result) => scheduleCleanup(result.isComplete ? cleanupIntervalMs : Math.min(CLEANUP_CONTINUE_MS, cleanupIntervalMs)),
        (error: unknown) => {
          log.error({ err: error }, "deleting abandoned rows failed");
          scheduleCleanup(cleanupIntervalMs);
        },
      );
    }, delayMs);
  };
  scheduleCleanup(0);

  const tick = async () => {
    if (stopped) return;
    try {
      const running = schedules.filter((schedule) => schedule.running).length;
      let slots = options.maxConcurrentPolls - running;
      const due = schedules
        .filter(
          (schedule) =>
            !schedule.running && schedule.nextDueAt <= now() && Date.now() - schedule.lastRealStartMs >= options.minRealIntervalMs,
        )
        .sort((a, b) => a.nextDueAt - b.nextDueAt);
      for (const schedule of due) {
        if (slots-- <= 0) break;
        schedule.running = true;
        schedule.lastRealStartMs = Date.now();
        const promise = run(schedule).finally(() => {
          schedule.running = false;
          inFlight.delete(promise);
        });
        inFlight.add(promise);
      }
      if (runsPolls && now() >= nextEvaluationAt) {
        nextEvaluationAt = now() + options.evaluateIntervalSeconds * 1000;
        await evaluateAll();
      }
    } catch (error) {
      log.error({ err: error }, "scheduler tick failed");
    }
    if (!stopped) timer = setTimeout(tick, options.tickMs);
  };
  timer = setTimeout(tick, 0);

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (deliveryTimer) clearTimeout(deliveryTimer);
      if (cleanupTimer) clearTimeout(cleanupTimer);
      await Promise.allSettled([...inFlight, delivering, cleaning]);
    },
    async idle() {
      await Promise.allSettled([...inFlight]);
    },
  };
}
