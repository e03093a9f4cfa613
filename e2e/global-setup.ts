import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

/**
 * Starts the whole product as a user would see it — simulator, worker and web on a fast scenario
 * clock (`npm run demo`) — unless E2E_BASE_URL points at one already running.
 */
export const E2E_PORT = 3210;
export const SIMULATOR_PORT = 4210;
const SMTP_PORT = 4225;
/** Where the demo lists the mail it caught (`?to=` filters); E2E_MAILBOX_URL when E2E_BASE_URL points elsewhere. */
export const MAILBOX_URL = process.env.E2E_MAILBOX_URL ?? `http://127.0.0.1:${SIMULATOR_PORT}/_sim/mail`;
const READY_TIMEOUT_MS = 180_000;

async function waitForData(baseUrl: string, demo: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = "no answer yet";
  while (Date.now() < deadline) {
    if (demo.exitCode !== null) throw new Error(`the demo stopped early (exit ${demo.exitCode})`);
    try {
      const response = await fetch(`${baseUrl}/api/v1/summary`);
      if (response.ok) {
        const summary = (await response.json()) as { rows: { mirrorId: string; major: number; counts: Record<string, number> }[] };
        const rhel8 = summary.rows.find((row) => row.mirrorId === "git.centos.org" && row.major === 8);
        last = JSON.stringify(rhel8?.counts ?? null);
        if (rhel8 && rhel8.counts.published > 0 && rhel8.counts.missing > 0) return;
      } else last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`the demo did not show published and missing RHEL 8 updates in time (last: ${last})`);
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (process.env.E2E_BASE_URL) return async () => undefined;
  const root = path.resolve(import.meta.dirname, "..");
  const demo = spawn(
    path.join(root, "node_modules/.bin/tsx"),
    // The demo at its default speed and start: the README promises the story within three minutes.
    [
      "scripts/demo.ts",
      "--port",
      String(E2E_PORT),
      "--simulator-port",
      String(SIMULATOR_PORT),
      "--smtp-port",
      String(SMTP_PORT),
      "--data-dir",
      "data/e2e",
    ],
    { cwd: root, env: { ...process.env, LOG_LEVEL: "warn" }, stdio: ["ignore", "inherit", "inherit"], detached: true },
  );
  const stop = async () => {
    if (demo.exitCode !== null || !demo.pid) return;
    process.kill(-demo.pid, "SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 2000));
    if (demo.exitCode === null) process.kill(-demo.pid, "SIGKILL");
  };
  try {
    await waitForData(`http://127.0.0.1:${E2E_PORT}`, demo);
  } catch (error) {
    await stop();
    throw error;
  }
  return stop;
}
