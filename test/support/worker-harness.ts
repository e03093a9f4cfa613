import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import type { SrcwatchConfig } from "../../core/config";
import { parseConfig } from "../../server/config/load-config";
import { syncConfiguredMirrors } from "../../server/mirrors/sync-configured-mirrors";
import { createManualClock, type ManualClock } from "../../simulator/scenario-clock";
import { startSimulator } from "../../simulator/start-simulator";
import { createDefaultHttpClientFactory, type WorkerDeps } from "../../worker/worker-deps";
import { createTestDatabase, type TestDatabase } from "./test-database";

export type Simulator = Awaited<ReturnType<typeof startSimulator>>;

const DEMO_SIMULATOR_ORIGIN = "http://127.0.0.1:4010";

/** The mirrors of config/demo.json, pointed at a simulator on another port. */
function listDemoMirrors(simulatorUrl: string): Record<string, unknown>[] {
  const text = readFileSync(path.resolve(import.meta.dirname, "../../config/demo.json"), "utf8").replaceAll(
    DEMO_SIMULATOR_ORIGIN,
    simulatorUrl,
  );
  return (JSON.parse(text) as { mirrors: Record<string, unknown>[] }).mirrors;
}

/** Quick to fail, no politeness delays; the simulator is on loopback, so private addresses are allowed. */
export function harnessFetchPolicy(maxResponseBytes = 20 * 1024 * 1024) {
  return { timeoutMs: 5000, retries: 1, perHostMinIntervalMs: 0, concurrency: 8, maxResponseBytes, egress: { allowPrivateNetwork: true } };
}

/** The CSAF upstream of the simulator, as raw config. */
export function harnessCsafUpstream(simulator: Pick<Simulator, "csafBaseUrl">, startDate: string, fetchPolicy = harnessFetchPolicy()) {
  return {
    id: "redhat-csaf",
    kind: "csaf",
    name: "Red Hat CSAF",
    baseUrl: simulator.csafBaseUrl,
    startDate,
    majors: [8, 9],
    pollIntervalSeconds: 3600,
    ...fetchPolicy,
  };
}

/** git.centos.org on the simulator, as raw config, with the real mirror's thresholds. */
export function harnessGitCentosMirror(simulator: Pick<Simulator, "url" | "pagureApiUrl">, fetchPolicy = harnessFetchPolicy()) {
  return {
    id: "git.centos.org",
    kind: "git-forge",
    name: "git.centos.org",
    majors: [8, 9],
    streams: ["main"],
    repoUrlTemplate: `${simulator.url}/rpms/{name}.git`,
    tagTemplate: "imports/c{major}/{nvr}",
    moduleTagTemplate: "imports/c{major}-stream-{moduleStream}/{nvr}",
    tagWebUrlTemplate: `${simulator.url}/rpms/{name}/c/{sha}`,
    pagureApiUrl: simulator.pagureApiUrl,
    expectedLagHours: 48,
    missingAfterHours: 168,
    staleAfterMinutes: 360,
    pollIntervalSeconds: 1800,
    ...fetchPolicy,
  };
}

export interface WorkerHarness {
  clock: ManualClock;
  simulator: Simulator;
  database: TestDatabase;
  config: SrcwatchConfig;
  deps: WorkerDeps;
  close(): Promise<void>;
}

/** The real worker's handlers, a fresh database and the simulator over loopback, on one manual clock. */
export async function startWorkerHarness(options: {
  start: string;
  startDate: string;
  cutoff?: string | null;
  /** The scenario's "resume" variant: git.centos.org imports again from then on. */
  resumeAt?: string | null;
  maxResponseBytes?: number;
  /** Merged into the CSAF upstream's config (e.g. its `archive`). */
  upstreamOverrides?: Record<string, unknown>;
  /** Merged into the git.centos.org mirror's config (thresholds, alert policy). */
  mirrorOverrides?: Record<string, unknown>;
  /** Mirrors besides git.centos.org, from config/demo.json pointed at this simulator (all by default: none). */
  extraMirrors?: string[];
  /** More mirrors, as raw config objects; `{simulator}` in strings is replaced by the simulator's URL. */
  configuredMirrors?: unknown[];
  /** The raw `notifications` section (mail, webhooks, public URL); none by default. */
  notifications?: Record<string, unknown>;
}): Promise<WorkerHarness> {
  const clock = createManualClock(new Date(options.start));
  const simulatorDir = mkdtempSync(path.join(os.tmpdir(), "srcwatch-sim-"));
  const simulator = await startSimulator({
    scenario: "june-2023",
    clock,
    port: 0,
    cutoff: options.cutoff,
    resumeAt: options.resumeAt,
    dataDir: simulatorDir,
  });
  const database = await createTestDatabase();
  const fetchPolicy = harnessFetchPolicy(options.maxResponseBytes);
  const config = parseConfig(
    {
      upstreams: [{ ...harnessCsafUpstream(simulator, options.startDate, fetchPolicy), ...options.upstreamOverrides }],
      mirrors: [
        { ...harnessGitCentosMirror(simulator, fetchPolicy), ...options.mirrorOverrides },
        ...listDemoMirrors(simulator.url).filter((mirror) => options.extraMirrors?.includes(String(mirror.id))),
        ...(options.configuredMirrors ?? []).map(
          (mirror) => JSON.parse(JSON.stringify(mirror).replaceAll("{simulator}", simulator.url)) as unknown,
        ),
      ],
      ...(options.notifications ? { notifications: options.notifications } : {}),
    },
    "test harness",
  );
  await syncConfiguredMirrors(database.db, config);
  const deps: WorkerDeps = {
    db: database.db,
    config,
    now: () => clock.now(),
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }),
    createHttpClient: createDefaultHttpClientFactory("srcwatch-test"),
    mailer: null,
  };
  return {
    clock,
    simulator,
    database,
    config,
    deps,
    async close() {
      await simulator.close();
      await database.drop();
      rmSync(simulatorDir, { recursive: true, force: true });
    },
  };
}
