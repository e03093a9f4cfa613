import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import net from "node:net";

export interface ServerProcess {
  name: string;
  pid: number;
  origin: string;
  /** Peak resident set of the process and its children so far (VmHWM), in MiB. */
  readPeakRssMib(): number;
  stop(): Promise<void>;
}

/** A port free now (the OS picks it); the server binds it a moment later. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function readProcStatusKib(pid: number, field: string): number {
  try {
    const match = readFileSync(`/proc/${pid}/status`, "utf8").match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function listDescendants(pid: number): number[] {
  let children: number[] = [];
  try {
    for (const task of readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/)) if (task) children.push(Number(task));
  } catch {
    return [];
  }
  children = children.flatMap((child) => [child, ...listDescendants(child)]);
  return children;
}

/**
 * Spawns a server and resolves once a line of its output matches `readyPattern`. Its output is kept (the last lines
 * are shown if it fails to start) and not echoed.
 */
export async function startServerProcess(input: {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  port: number;
  readyPattern: RegExp;
  timeoutMs?: number;
}): Promise<ServerProcess> {
  const child = spawn(input.command, input.args, { cwd: input.cwd, env: input.env, stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  let peakRssKib = 0;
  const samplePeak = () => {
    if (child.pid === undefined || child.exitCode !== null) return;
    const total = [child.pid, ...listDescendants(child.pid)].reduce((sum, pid) => sum + readProcStatusKib(pid, "VmHWM"), 0);
    peakRssKib = Math.max(peakRssKib, total);
  };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`${input.name} did not start within ${input.timeoutMs ?? 60_000} ms`)),
      input.timeoutMs ?? 60_000,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`${error.message}\n${output.slice(-20).join("\n")}`));
    };
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n")) {
        if (!line) continue;
        output.push(line);
        if (output.length > 200) output.shift();
        if (input.readyPattern.test(line)) {
          clearTimeout(timer);
          resolve();
        }
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", fail);
    child.on("exit", (code, signal) => fail(new Error(`${input.name} exited early (${signal ?? `exit ${code}`})`)));
  });
  child.removeAllListeners("exit");
  // Children that come and go (none today) would be missed between samples; the main process's VmHWM never is.
  const sampler = setInterval(samplePeak, 1000);
  sampler.unref();
  return {
    name: input.name,
    pid: child.pid!,
    origin: `http://127.0.0.1:${input.port}`,
    readPeakRssMib() {
      samplePeak();
      return peakRssKib / 1024;
    },
    async stop() {
      clearInterval(sampler);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      const forced = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(forced);
    },
  };
}
