import { afterAll, beforeAll } from "vitest";
import { setConfigForTests } from "../../server/config/get-config";
import { setDbForTests } from "../../server/db/client";
import { runPollCycle } from "../../worker/run-poll-cycle";
import { startWorkerHarness, type WorkerHarness } from "./worker-harness";

/**
 * Starts a worker harness before the suite and points the web's reads (database and config) at it, then runs
 * `prepare` (polls, faults…); both are undone after the suite. Tests keep the harness `prepare` receives.
 */
export function useHarnessForWebReads(
  options: Parameters<typeof startWorkerHarness>[0],
  prepare: (harness: WorkerHarness) => Promise<void>,
  timeoutMs?: number,
): void {
  let harness: WorkerHarness | undefined;
  beforeAll(async () => {
    harness = await startWorkerHarness(options);
    setDbForTests(harness.database.db);
    setConfigForTests(harness.config);
    await prepare(harness);
  }, timeoutMs);
  afterAll(async () => {
    setDbForTests(undefined);
    setConfigForTests(undefined);
    await harness?.close();
  });
}

/** A poll cycle at the harness's start, then one at each instant. */
export async function pollAtStartAndAt(harness: WorkerHarness, instants: readonly string[]): Promise<void> {
  await runPollCycle(harness.deps);
  for (const at of instants) {
    harness.clock.set(new Date(at));
    await runPollCycle(harness.deps);
  }
}
