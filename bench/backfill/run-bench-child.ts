import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

/** What every child reports when done: its own figures, and its peak resident set from /proc/self/status (VmHWM). */
export interface ChildReport<T> {
  result: T;
  peakRssBytes: number;
}

const ROOT = path.resolve(import.meta.dirname, "../..");

/** The process's peak resident set so far: VmHWM where /proc exists, else what resourceUsage says. */
export function readPeakRssBytes(): number {
  try {
    const status = readFileSync("/proc/self/status", "utf8");
    const kib = /^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1];
    if (kib) return Number(kib) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

/**
 * Runs `file` in a fresh Node process (the worker's loader and conditions: tsx, react-server) with `input` as JSON,
 * and waits for the one report it sends back over IPC. One process, so its peak RSS is the work's alone.
 */
export function runBenchChild<I, T>(file: string, input: I): Promise<ChildReport<T>> {
  return new Promise((resolve, reject) => {
    // BENCH_CHILD_NODE_ARGS adds Node flags to the child alone (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it).
    const extraArgs = (process.env.BENCH_CHILD_NODE_ARGS ?? "").split(/\s+/).filter(Boolean);
    const child = spawn(process.execPath, [...extraArgs, "--conditions=react-server", "--import", "tsx", file, JSON.stringify(input)], {
      cwd: ROOT,
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let report: ChildReport<T> | null = null;
    child.on("message", (message) => {
      report = message as ChildReport<T>;
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (code === 0 && report) resolve(report);
      else reject(new Error(`${path.relative(ROOT, file)} exited with ${signal ?? code} before reporting`));
    });
  });
}

/** The child's side: reads its input, runs, sends the report and exits. */
export async function serveBenchChild<I, T>(run: (input: I) => Promise<T>): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? "null") as I;
  const result = await run(input);
  const report: ChildReport<T> = { result, peakRssBytes: readPeakRssBytes() };
  await new Promise<void>((resolve, reject) => process.send!(report, (error: Error | null) => (error ? reject(error) : resolve())));
  process.disconnect();
}
