import pino from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { MirrorConfig, UpstreamConfig } from "../core/config";
import { parseConfig } from "../server/config/load-config";
import type { Db } from "../server/db/client";
import { createManualClock } from "../simulator/scenario-clock";
import { startScheduler, type SchedulerJobs } from "./scheduler";
import type { WorkerDeps } from "./worker-deps";

const config = parseConfig({
  upstreams: [
    {
      id: "feed",
      kind: "csaf",
      name: "Feed",
      baseUrl: "http://127.0.0.1:1/",
      startDate: "2023-01-01",
      majors: [8],
      pollIntervalSeconds: 600,
    },
  ],
  mirrors: [
    {
      id: "broken",
      kind: "git-forge",
      name: "Broken",
      majors: [8],
      repoUrlTemplate: "http://127.0.0.1:1/{name}.git",
      tagTemplate: "imports/c{major}/{nvr}",
      tagWebUrlTemplate: "x",
      pollIntervalSeconds: 600,
    },
    {
      id: "healthy",
      kind: "git-forge",
      name: "Healthy",
      majors: [8],
      repoUrlTemplate: "http://127.0.0.1:2/{name}.git",
      tagTemplate: "imports/c{major}/{nvr}",
      tagWebUrlTemplate: "x",
      pollIntervalSeconds: 600,
    },
  ],
});

const waitUntil = async (condition: () => boolean, timeoutMs = 5000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe("startScheduler", () => {
  const clock = createManualClock(new Date("2023-06-14T00:00:00Z"));
  const deps: WorkerDeps = {
    db: {} as Db,
    config,
    now: () => clock.now(),
    logger: pino({ level: "silent" }),
    createHttpClient: () => {
      throw new Error("not used");
    },
    mailer: null,
  };
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
  });

  function recordingJobs(options: { failingMirror: string; slowMs?: number }) {
    const calls: { source: string; at: number }[] = [];
    /** Sources whose poll has returned: only then has the scheduler set when it is due next. */
    const finished: string[] = [];
    const alertEvaluations: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const track = async (source: string, outcome: string) => {
      calls.push({ source, at: clock.now().getTime() });
      running++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise((resolve) => setTimeout(resolve, options.slowMs ?? 1));
      running--;
      // Recorded a tick later, after the scheduler has taken the outcome and set the next due time.
      setTimeout(() => finished.push(source), 1);
      if (outcome === "throw") throw new Error("boom");
      return { report: { outcome } };
    };
    const jobs: SchedulerJobs = {
      pollUpstream: async (_deps, upstream: UpstreamConfig) => ({ ...(await track(upstream.id, "success")), advisoriesWritten: 0 }),
      pollMirror: (_deps, mirror: MirrorConfig) => track(mirror.id, mirror.id === options.failingMirror ? "throw" : "success"),
      evaluateMirrorVerdicts: async () => ({ created: 0, changed: 0, evaluated: 0 }),
      evaluateAlerts: async (_deps, mirror: MirrorConfig) => {
        alertEvaluations.push(mirror.id);
        return { fired: 0, resolved: 0, changed: 0, queued: 0 };
      },
    };
    return { jobs, calls, finished, alertEvaluations, maxRunning: () => maxRunning };
  }

  it("keeps polling the other sources on schedule while one keeps failing, and retries it with backoff", async () => {
    const { jobs, calls, finished } = recordingJobs({ failingMirror: "broken" });
    stop = startScheduler(deps, { tickMs: 2, minRealIntervalMs: 0, maxConcurrentPolls: 4, evaluateIntervalSeconds: 3600 }, jobs).stop;
    const count = (source: string) => calls.filter((call) => call.source === source).length;
    const countFinished = (source: string) => finished.filter((id) => id === source).length;
    // The clock moves only once the polls have returned: a poll still running would take its next due time from the moved clock.
    await waitUntil(() => countFinished("feed") === 1 && countFinished("healthy") === 1 && countFinished("broken") === 1);

    clock.advance(61_000); // first retry of the failing mirror is due after 60 s; the others after 600 s
    await waitUntil(() => countFinished("broken") === 2);
    expect(count("healthy")).toBe(1);

    clock.advance(60_000); // second retry waits 120 s: not yet
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(count("broken")).toBe(2);

    clock.advance(600_000);
    await waitUntil(() => count("healthy") === 2 && count("feed") === 2 && count("broken") === 3);
  });

  it("never runs more polls at once than allowed, nor one source twice at once", async () => {
    const { jobs, calls, maxRunning } = recordingJobs({ failingMirror: "none", slowMs: 40 });
    stop = startScheduler(deps, { tickMs: 1, minRealIntervalMs: 0, maxConcurrentPolls: 2, evaluateIntervalSeconds: 3600 }, jobs).stop;
    await waitUntil(() => calls.length >= 3);
    expect(maxRunning()).toBeLessThanOrEqual(2);
    expect(new Set(calls.map((call) => call.source)).size).toBe(3);
  });

  it("evaluates a mirror's alerts after every evaluation of its verdicts, the failing mirror's too on the periodic pass", async () => {
    const { jobs, calls, alertEvaluations } = recordingJobs({ failingMirror: "broken" });
    stop = startScheduler(deps, { tickMs: 2, minRealIntervalMs: 0, maxConcurrentPolls: 4, evaluateIntervalSeconds: 3600 }, jobs).stop;
    const count = (source: string) => calls.filter((call) => call.source === source).length;
    await waitUntil(() => count("healthy") === 1 && alertEvaluations.filter((id) => id === "healthy").length === 2);
    expect(alertEvaluations.filter((id) => id === "broken")).toEqual(["broken"]);
  });
  it("deletes abandoned rows at start and hourly, sooner while a pass leaves rows behind, and carries on after a failure", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const { jobs } = recordingJobs({ failingMirror: "none" });
      const outcomes = [false, true, "throw", true, true];
      let cleanups = 0;
      jobs.deleteAbandonedRows = async () => {
        const outcome = outcomes[cleanups++];
        if (outcome === "throw") throw new Error("database is locked");
        return { rateLimitBuckets: 1, unconfirmedSubscriptions: 0, isComplete: outcome === true };
      };
      stop = startScheduler(
        deps,
        { tickMs: 60_000, minRealIntervalMs: 0, maxConcurrentPolls: 4, evaluateIntervalSeconds: 3600, cleanupIntervalMs: 3_600_000 },
        jobs,
      ).stop;
      await vi.advanceTimersByTimeAsync(0);
      expect(cleanups).toBe(1);
      await vi.advanceTimersByTimeAsync(59_999);
      expect(cleanups).toBe(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(cleanups).toBe(2);
      await vi.advanceTimersByTimeAsync(3_599_999);
      expect(cleanups).toBe(2);
      await vi.advanceTimersByTimeAsync(1);
      expect(cleanups).toBe(3);
      await vi.advanceTimersByTimeAsync(3_600_000);
      expect(cleanups).toBe(4);
      await stop();
      stop = undefined;
      await vi.advanceTimersByTimeAsync(7_200_000);
      expect(cleanups).toBe(4);
    } finally {
      vi.useRealTimers();
    }
  });
});
