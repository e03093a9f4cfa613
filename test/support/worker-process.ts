import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** A real worker process (tsx worker/main.ts) and what it printed. */
export interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `npm run worker` as its own process group, with `env` over this process's (DATABASE_URL only if given). */
export function spawnWorkerProcess(env: Record<string, string | undefined>): WorkerProcess {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (env.DATABASE_URL === undefined) delete childEnv.DATABASE_URL;
  // tsx runs the worker in a child node process: a process group of its own lets SIGKILL reach both.
  const child = spawn(path.join(ROOT, "node_modules/.bin/tsx"), ["--conditions=react-server", "worker/main.ts"], {
    cwd: ROOT,
    env: childEnv,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-200_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

export function isWorkerRunning(worker: WorkerProcess): boolean {
  return worker.child.exitCode === null && worker.child.signalCode === null;
}

/** SIGKILL to the worker's whole process group (tsx and the node process it runs): no handler, no cleanup. */
export async function killWorkerHard(worker: WorkerProcess): Promise<void> {
  if (worker.child.pid === undefined) return;
  try {
    process.kill(-worker.child.pid, "SIGKILL");
  } catch {
    // already gone
  }
  await worker.exited;
}

/** SIGTERM and wait for the worker's graceful stop (polls and writes in flight finish); SIGKILL after 30 s and fail. */
export async function stopWorkerGracefully(worker: WorkerProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (!isWorkerRunning(worker)) return worker.exited;
  worker.child.kill("SIGTERM");
  const result = await Promise.race([worker.exited, sleep(45_000).then(() => null)]);
  if (result) return result;
  await killWorkerHard(worker);
  throw new Error(`the worker did not stop within 45 s of SIGTERM\n${worker.output()}`);
}

/** Polls `probe` until it returns something truthy; the error says what was awaited and, if given, the state. */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs: number,
  describeState?: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${describeState ? `\n${describeState()}` : ""}`);
    await sleep(250);
  }
}
