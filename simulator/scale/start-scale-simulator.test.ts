import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createManualClock } from "../scenario-clock";
import { generateScaleCatalogue, type ScaleCatalogue } from "./generate-scale-catalogue";
import { startScaleSimulator, type ScaleSimulator } from "./start-scale-simulator";

const execFileAsync = promisify(execFile);
const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", GIT_TERMINAL_PROMPT: "0" };

describe("the scale simulator", () => {
  let catalogue: ScaleCatalogue;
  let simulator: ScaleSimulator;
  let dataDir: string;
  const clock = createManualClock(new Date("2025-06-02T12:00:00Z"));

  beforeAll(async () => {
    catalogue = generateScaleCatalogue({ packageCount: 90, endAt: new Date("2025-06-02T00:00:00Z") });
    dataDir = await mkdtemp(path.join(os.tmpdir(), "srcwatch-scale-sim-"));
    simulator = await startScaleSimulator({ timeline: catalogue.timeline, clock, dataDir });
  });
  afterAll(async () => {
    await simulator?.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => simulator.resetRequestLog());

  it("lists every advisory of the catalogue in changes.csv and answers a repeat with its ETag 304", async () => {
    const first = await fetch(`${simulator.csafBaseUrl}changes.csv`);
    const rows = (await first.text()).split("\n").filter(Boolean);
    expect(rows).toHaveLength(catalogue.advisoryCount);
    const again = await fetch(`${simulator.csafBaseUrl}changes.csv`, { headers: { "if-none-match": first.headers.get("etag")! } });
    expect(again.status).toBe(304);
    expect(simulator.requestLog().csaf).toEqual({ requests: 2, notModified: 1 });
  });

  it("serves the git.centos.org imports of a catalogue package over git smart HTTP", async () => {
    const pkg = catalogue.timeline.packages.find((candidate) => candidate.importAt !== null && candidate.importAt <= clock.now())!;
    const { stdout } = await execFileAsync("git", ["-c", "protocol.version=2", "ls-remote", `${simulator.url}/rpms/${pkg.name}.git`], {
      env: GIT_ENV,
    });
    expect(stdout).toContain(`refs/tags/${pkg.tag}`);
    expect(simulator.requestLog()["git-forge"].requests).toBeGreaterThanOrEqual(2);
  });

  it("mounts the listing mirrors and GitLab on the catalogue, each counted on its own route", async () => {
    const errata = (await (await fetch(`${simulator.url}/almalinux/9/errata.full.json`)).json()) as { data: unknown[] };
    expect(errata.data.length).toBeGreaterThan(0);
    expect((await fetch(`${simulator.url}/oracle/ol8/SRPMS-updates/`)).status).toBe(200);
    expect((await fetch(`${simulator.url}/rocky/api/v3/advisories/?page=1&size=10`)).status).toBe(200);
    expect((await fetch(`${simulator.url}/gitlab/api/v4/version`)).status).toBe(200);
    expect((await fetch(`${simulator.url}/nowhere`)).status).toBe(404);
    const log = simulator.requestLog();
    expect([log.almalinux.requests, log.oracle.requests, log.rocky.requests, log.gitlab.requests, log.other.requests]).toEqual([
      1, 1, 1, 1, 1,
    ]);
  });

  it("mounts only the replicas asked for", async () => {
    const feedOnly = await startScaleSimulator({ timeline: catalogue.timeline, clock, dataDir, replicas: [] });
    try {
      expect((await fetch(`${feedOnly.url}/almalinux/9/errata.full.json`)).status).toBe(404);
      expect((await fetch(`${feedOnly.csafBaseUrl}changes.csv`)).status).toBe(200);
    } finally {
      await feedOnly.close();
    }
  });
});
