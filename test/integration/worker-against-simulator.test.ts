import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findDistStream } from "../../core/nevra";
import type { ScenarioPackageRelease } from "../../simulator/scenarios/june-2023";
import { pollMirror } from "../../worker/poll-mirror";
import { pollUpstream } from "../../worker/poll-upstream";
import { runPollCycle } from "../../worker/run-poll-cycle";
import { startWorkerHarness, type WorkerHarness } from "../support/worker-harness";
import { testDatabaseProvider } from "../support/test-database";

const HOUR_S = 3600;
const EXPECTED_LAG_HOURS = 48;
const MISSING_AFTER_HOURS = 168;

interface StoredVerdict {
  advisoryId: string;
  name: string;
  version: string;
  release: string;
  major: number;
  status: string;
  lagSeconds: number | null;
}

async function listStoredVerdicts(harness: WorkerHarness): Promise<StoredVerdict[]> {
  const rows = await harness.database.db.verdict.findMany({
    where: { mirrorId: "git.centos.org" },
    select: {
      status: true,
      lagSeconds: true,
      package: { select: { advisoryId: true, name: true, version: true, release: true, major: true } },
    },
  });
  return rows.map((row) => ({ ...row.package, status: row.status, lagSeconds: row.lagSeconds }));
}

/** Packages alone in their dist stream in the whole scenario: no other build can stand in for them. */
function findUnambiguousPackages(packages: ScenarioPackageRelease[]): Map<string, ScenarioPackageRelease> {
  const streamKey = (pkg: ScenarioPackageRelease) => `${pkg.name}/${pkg.major}/${findDistStream(pkg.release)}`;
  const counts = new Map<string, number>();
  for (const pkg of packages) counts.set(streamKey(pkg), (counts.get(streamKey(pkg)) ?? 0) + 1);
  return new Map(
    packages.filter((pkg) => counts.get(streamKey(pkg)) === 1).map((pkg) => [`${pkg.advisoryId}/${pkg.nvr}/${pkg.major}`, pkg]),
  );
}

/** What the spec says a package's verdict is at `now`, given the scenario's truth. */
function expectedVerdict(pkg: ScenarioPackageRelease, now: Date): { status: string; lagSeconds: number | null } {
  if (!pkg.isMainStream) return { status: "not_applicable", lagSeconds: null };
  if (pkg.importAt && pkg.importAt <= now)
    return { status: "published", lagSeconds: (pkg.importAt.getTime() - pkg.releasedAt.getTime()) / 1000 };
  const ageHours = (now.getTime() - pkg.releasedAt.getTime()) / (HOUR_S * 1000);
  if (ageHours < EXPECTED_LAG_HOURS) return { status: "pending", lagSeconds: null };
  if (ageHours < MISSING_AFTER_HOURS) return { status: "delayed", lagSeconds: null };
  return { status: "missing", lagSeconds: null };
}

async function expectVerdictsToMatchScenario(harness: WorkerHarness, minimumCompared = 5): Promise<Map<string, number>> {
  const now = harness.clock.now();
  const unambiguous = findUnambiguousPackages(harness.simulator.timeline.packages);
  const stored = await listStoredVerdicts(harness);
  const byStatus = new Map<string, number>();
  let compared = 0;
  for (const verdict of stored) {
    const pkg = unambiguous.get(`${verdict.advisoryId}/${verdict.name}-${verdict.version}-${verdict.release}/${verdict.major}`);
    if (!pkg) continue;
    const expected = expectedVerdict(pkg, now);
    expect({ id: verdict.advisoryId, nvr: pkg.nvr, ...expected }).toEqual({
      id: verdict.advisoryId,
      nvr: pkg.nvr,
      status: verdict.status,
      lagSeconds: verdict.lagSeconds,
    });
    byStatus.set(verdict.status, (byStatus.get(verdict.status) ?? 0) + 1);
    compared++;
  }
  expect(compared).toBeGreaterThanOrEqual(minimumCompared);
  return byStatus;
}

describe(`the worker against the simulator (${testDatabaseProvider()})`, () => {
  let harness: WorkerHarness;

  beforeAll(async () => {
    harness = await startWorkerHarness({ start: "2023-05-03T00:00:00Z", startDate: "2023-04-25" });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it("marks updates imported within hours as published with their measured lag", async () => {
    await runPollCycle(harness.deps);
    const byStatus = await expectVerdictsToMatchScenario(harness);
    expect(byStatus.get("published")).toBeGreaterThan(1);
    expect(byStatus.get("not_applicable")).toBeGreaterThan(0);
    const late = harness.simulator.timeline.packages.filter(
      (pkg) => pkg.importAt && pkg.importAt.getTime() - pkg.releasedAt.getTime() > EXPECTED_LAG_HOURS * HOUR_S * 1000,
    );
    expect(late.length).toBeGreaterThan(0);
  });

  it("makes one conditional request per feed file and gets 304 when nothing changed upstream", async () => {
    await pollUpstream(harness.deps, harness.config.upstreams[0]);
    const run = await harness.database.db.pollRun.findFirstOrThrow({ where: { sourceId: "redhat-csaf" }, orderBy: { id: "desc" } });
    expect(run.outcome).toBe("success");
    expect(run.requests).toBeGreaterThan(0);
    expect(run.requests).toBeLessThanOrEqual(2);
    expect(run.notModified).toBe(run.requests);
    expect(run.items).toBe(0);
  });

  it("turns a late import from delayed to published once the tag appears, with its real lag", async () => {
    for (const day of ["2023-05-05", "2023-05-08", "2023-05-12", "2023-05-15", "2023-05-20", "2023-06-06", "2023-06-13T12:00:00Z"]) {
      harness.clock.set(new Date(day));
      await runPollCycle(harness.deps);
      await expectVerdictsToMatchScenario(harness);
    }
    const lateAndPublished = (await listStoredVerdicts(harness)).filter(
      (verdict) => verdict.status === "published" && verdict.lagSeconds !== null && verdict.lagSeconds > EXPECTED_LAG_HOURS * HOUR_S,
    );
    expect(lateAndPublished.length).toBeGreaterThan(0);
    const history = await harness.database.db.verdictChange.findMany({ where: { toStatus: "published", fromStatus: "delayed" } });
    expect(history.length).toBeGreaterThan(0);
  });

  it("marks updates never imported after the cut-off delayed, then missing 168 h after release", async () => {
    for (const day of ["2023-06-16", "2023-06-19", "2023-06-22", "2023-06-25"]) {
      harness.clock.set(new Date(day));
      await runPollCycle(harness.deps);
    }
    const byStatus = await expectVerdictsToMatchScenario(harness, 40);
    expect(byStatus.get("missing")).toBeGreaterThan(0);
    expect(byStatus.get("delayed")).toBeGreaterThan(0);
    expect(byStatus.get("published")).toBeGreaterThan(0);
  });

  it("shows unknown, never missing, while the mirror cannot be reached — and recovers", async () => {
    const before = await listStoredVerdicts(harness);
    const publishedBefore = before.filter((verdict) => verdict.status === "published").length;
    harness.simulator.setFault("git", { mode: "down" });
    try {
      harness.clock.set(new Date("2023-06-25T12:00:00Z"));
      await runPollCycle(harness.deps);
      const failedRun = await harness.database.db.pollRun.findFirstOrThrow({
        where: { sourceId: "git.centos.org" },
        orderBy: { id: "desc" },
      });
      expect(failedRun.outcome).toBe("failed");
      expect(failedRun.errorKind).toBe("network");
      const upstreamRun = await harness.database.db.pollRun.findFirstOrThrow({
        where: { sourceId: "redhat-csaf" },
        orderBy: { id: "desc" },
      });
      expect(upstreamRun.outcome).toBe("success");

      // Advisories released during the outage, and the whole open set, age past "missing" while we are blind.
      harness.clock.set(new Date("2023-07-05T00:00:00Z"));
      await runPollCycle(harness.deps);
      const during = await listStoredVerdicts(harness);
      expect(during.filter((verdict) => verdict.status === "missing")).toEqual([]);
      expect(during.filter((verdict) => verdict.status === "delayed")).toEqual([]);
      expect(during.filter((verdict) => verdict.status === "unknown").length).toBeGreaterThan(0);
      expect(during.filter((verdict) => verdict.status === "published").length).toBe(publishedBefore);
    } finally {
      harness.simulator.setFault("git", null);
    }
    harness.clock.set(new Date("2023-07-05T01:00:00Z"));
    await runPollCycle(harness.deps);
    const byStatus = await expectVerdictsToMatchScenario(harness);
    expect(byStatus.get("unknown") ?? 0).toBe(0);
    expect(byStatus.get("missing")).toBeGreaterThan(0);
  });

  it("keeps each source's polls independent: a failing mirror poll records its own PollRun", async () => {
    harness.simulator.setFault("git", { mode: "http-500" });
    try {
      const { report } = await pollMirror(harness.deps, harness.config.mirrors[0]);
      expect(report.outcome).toBe("failed");
      expect(report.errorKind).toBe("http");
    } finally {
      harness.simulator.setFault("git", null);
    }
  });
});
