import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { harnessCsafUpstream, harnessFetchPolicy } from "../support/worker-harness";

/**
 * `npm run worker` stops cleanly on Ctrl-C: the terminal sends SIGINT to the whole process group (scripts/run.mjs and the
 * worker it starts), and run.mjs forwards it too, so the worker gets it twice; the second one must not kill it while it
 * stops (it did, in 2 of 3 tries by hand, before the worker's stop ignored repeated signals). A signal sent to run.mjs alone (a process manager's SIGTERM) reaches the worker through it.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");
/** Real processes on a loaded 2-core machine: generous bounds, never asserted as timings. */
const WAIT_MS = 60_000;

const tempDir = mkdtempSync(path.join(os.tmpdir(), "srcwatch-worker-signal-"));
const configPath = path.join(tempDir, "config.json");
// An upstream that accepts the connection and never answers: the worker is mid-poll when it is told to stop, so its stop
// has to wait for that poll, and a second signal in that time would end it.
const hangingSockets = new Set<net.Socket>();
const hangingServer = net.createServer((socket) => {
  hangingSockets.add(socket);
  socket.on("close", () => hangingSockets.delete(socket));
});
let connections = 0;
hangingServer.on("connection", () => connections++);

beforeAll(async () => {
  await new Promise<void>((resolve) => hangingServer.listen(0, "127.0.0.1", resolve));
  const { port } = hangingServer.address() as net.AddressInfo;
  // Its poll gives up after a second (no retry): the stop waits for it, not for the harness's 5 s × 2.
  const upstream = harnessCsafUpstream({ csafBaseUrl: `http://127.0.0.1:${port}/` }, "2023-06-01", {
    ...harnessFetchPolicy(),
    timeoutMs: 1_000,
    retries: 0,
  });
  writeFileSync(configPath, JSON.stringify({ upstreams: [upstream], mirrors: [] }));
});

afterAll(async () => {
  for (const socket of hangingSockets) socket.destroy();
  await new Promise((resolve) => hangingServer.close(resolve));
  rmSync(tempDir, { recursive: true, force: true });
});

function startWorker(name: string) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SRCWATCH_CONFIG: configPath,
    SRCWATCH_DATA_DIR: path.join(tempDir, name),
    LOG_LEVEL: "info",
  };
  delete env.DATABASE_URL;
  // A process group of its own, as a terminal gives a command it runs.
  const child = spawn(process.execPath, [path.join(ROOT, "scripts/run.mjs"), "worker"], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return { pid: child.pid!, output: () => output, exited };
}

async function waitFor(condition: () => boolean, describeState = () => ""): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${WAIT_MS} ms${describeState()}`);
    await sleep(50);
  }
}

async function waitForOutput(worker: ReturnType<typeof startWorker>, pattern: RegExp): Promise<void> {
  await waitFor(
    () => pattern.test(worker.output()),
    () => ` waiting for ${pattern} from the worker:\n${worker.output()}`,
  );
}

/** The stop waits up to a second for the hanging poll: the group is still there then, unless the machine stalled. */
function signalGroupIfAlive(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}

const count = (text: string, pattern: RegExp) => text.match(new RegExp(pattern.source, "g"))?.length ?? 0;

describe("npm run worker (scripts/run.mjs worker)", () => {
  it("stops once and cleanly on Ctrl-C, though the signal reaches it again while it stops", async () => {
    const worker = startWorker("ctrl-c");
    const connectionsBefore = connections;
    await waitForOutput(worker, /"msg":"worker started"/);
    await waitFor(() => connections > connectionsBefore);

    // The terminal signals the whole group; the launcher forwards it, and npm may too: the worker hears it more than once,
    // sometimes in the same instant, sometimes (a busy loop, a second Ctrl-C) once its stop has begun, as here.
    process.kill(-worker.pid, "SIGINT");
    await waitForOutput(worker, /"msg":"worker stopping"/);
    signalGroupIfAlive(worker.pid, "SIGINT");

    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(count(worker.output(), /"msg":"worker stopping"/)).toBe(1);
  }, 120_000);

  it("passes a SIGTERM sent to the launcher alone on to the worker, which stops cleanly", async () => {
    const worker = startWorker("sigterm");
    const connectionsBefore = connections;
    await waitForOutput(worker, /"msg":"worker started"/);
    await waitFor(() => connections > connectionsBefore);

    process.kill(worker.pid, "SIGTERM");

    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(worker.output()).toMatch(/"signal":"SIGTERM","msg":"worker stopping"/);
  }, 120_000);
});
