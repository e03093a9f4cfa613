import { spawn, type ChildProcess } from "node:child_process";
import { WORKER_MAIN, workerNodeFlags } from "../../scripts/run-processes.mjs";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import Database from "better-sqlite3";
import { readProcessUsage } from "./read-process-usage";

const QUIET_CPU_SHARE = 0.05;
const LOG_TAIL_LINES = 40;

export interface WorkerAtRest {
  /** CPU time over the window ÷ the window's wall time, in % of one core. */
  cpuPercentOfCore: number;
  windowSeconds: number;
  /** Peak RSS over the worker's whole life (its first polls included). */
  peakRssBytes: number;
  /** Peak RSS when the window started: how much of the peak settling (first polls and their evaluations) reached. */
  peakRssBeforeWindowBytes: number;
  /** RSS at the end of the window. */
  rssAtRestBytes: number;
  /** From the start to the beginning of the window. */
  settleSeconds: number;
  /** false: the worker was still busy when settleTimeoutSeconds ran out (measured anyway). */
  isSettled: boolean;
  /** Outcome of each source's first poll. */
  firstPolls: Record<string, string>;
  /** Log lines at error level or above. */
  errorLines: number;
}

function startWorker(input: { root: string; env: NodeJS.ProcessEnv }) {
  // As `npm start` runs it (one process: this pid is the worker itself, so /proc reads what it uses), heap bound included.
  const child = spawn(process.execPath, [...workerNodeFlags(input.env), WORKER_MAIN], {
    cwd: input.root,
    env: input.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const tail: string[] = [];
  let errorLines = 0;
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) {
      if (!line) continue;
      tail.push(line);
      if (tail.length > LOG_TAIL_LINES) tail.shift();
      if (/"level":(5|6)\d/.test(line)) errorLines++;
    }
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  return { child, tail, getErrorLines: () => errorLines };
}

function assertRunning(child: ChildProcess, tail: string[]): void {
  if (child.exitCode !== null || child.signalCode !== null)
    throw new Error(`the worker stopped (${child.signalCode ?? `exit ${child.exitCode}`}) during the benchmark:\n${tail.join("\n")}`);
}

async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const stopped = await Promise.race([exited.then(() => true), sleep(15_000).then(() => false)]);
  if (!stopped) {
    child.kill("SIGKILL");
    await exited;
  }
}

/**
 * Starts the real worker on a prepared database and config, waits until each source's first poll finished and the worker
 * has been quiet for `quietSeconds` one-second samples (at most `settleTimeoutSeconds`), then reads its CPU time from /proc
 * over `cpuWindowSeconds` and its peak RSS.
 */
export async function measureWorkerAtRest(input: {
  root: string;
  env: NodeJS.ProcessEnv;
  databaseFile: string;
  sourceIds: string[];
  cpuWindowSeconds: number;
  settleTimeoutSeconds: number;
  quietSeconds: number;
}): Promise<WorkerAtRest> {
  const sqlite = new Database(input.databaseFile, { readonly: true, fileMustExist: true, timeout: 10_000 });
  const pollRunsBefore = sqlite.prepare(`SELECT COALESCE(MAX("id"), 0) FROM "PollRun"`).pluck().get() as number;
  const readFinishedPolls = sqlite.prepare(
    `SELECT "sourceId", "outcome" FROM "PollRun" WHERE "id" > ? AND "outcome" <> 'running' ORDER BY "id"`,
  );
  const startedAt = performance.now();
  const deadline = startedAt + input.settleTimeoutSeconds * 1000;
  const worker = startWorker(input);
  try {
    const firstPolls: Record<string, string> = {};
    while (performance.now() < deadline && input.sourceIds.some((id) => !(id in firstPolls))) {
      await sleep(500);
      assertRunning(worker.child, worker.tail);
      for (const run of readFinishedPolls.all(pollRunsBefore) as Array<{ sourceId: string; outcome: string }>)
        firstPolls[run.sourceId] ??= run.outcome;
    }
    sqlite.close();

    let quietSamples = 0;
    let previous = readProcessUsage(worker.child.pid!).cpuSeconds;
    while (quietSamples < input.quietSeconds && performance.now() < deadline) {
      await sleep(1000);
      assertRunning(worker.child, worker.tail);
      const current = readProcessUsage(worker.child.pid!).cpuSeconds;
      quietSamples = current - previous < QUIET_CPU_SHARE ? quietSamples + 1 : 0;
      previous = current;
    }
    const isSettled = quietSamples >= input.quietSeconds && input.sourceIds.every((id) => id in firstPolls);

    const windowStart = performance.now();
    const before = readProcessUsage(worker.child.pid!);
    await sleep(input.cpuWindowSeconds * 1000);
    assertRunning(worker.child, worker.tail);
    const after = readProcessUsage(worker.child.pid!);
    const windowSeconds = (performance.now() - windowStart) / 1000;
    return {
      cpuPercentOfCore: ((after.cpuSeconds - before.cpuSeconds) / windowSeconds) * 100,
      windowSeconds,
      peakRssBytes: after.peakRssBytes,
      peakRssBeforeWindowBytes: before.peakRssBytes,
      rssAtRestBytes: after.rssBytes,
      settleSeconds: (windowStart - startedAt) / 1000,
      isSettled,
      firstPolls,
      errorLines: worker.getErrorLines(),
    };
  } finally {
    if (sqlite.open) sqlite.close();
    await stopWorker(worker.child);
  }
}
