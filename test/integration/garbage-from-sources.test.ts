import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { pollMirror } from "../../worker/poll-mirror";
import { pollUpstream } from "../../worker/poll-upstream";
import { runPollCycle } from "../../worker/run-poll-cycle";
import { testDatabaseProvider } from "../support/test-database";
import { startWorkerHarness, type WorkerHarness } from "../support/worker-harness";

const MAX_RESPONSE_BYTES = 2 * 1024 * 1024;

describe(`garbage from a source (${testDatabaseProvider()})`, () => {
  let harness: WorkerHarness;
  let storedBefore: { advisories: number; packages: number; evidence: number; published: number };

  const countStored = async () => ({
    advisories: await harness.database.db.advisory.count(),
    packages: await harness.database.db.package.count(),
    evidence: await harness.database.db.evidence.count(),
    published: await harness.database.db.verdict.count({ where: { status: "published" } }),
  });
  const latestRun = (sourceId: string) => harness.database.db.pollRun.findFirstOrThrow({ where: { sourceId }, orderBy: { id: "desc" } });

  beforeAll(async () => {
    harness = await startWorkerHarness({ start: "2023-06-01T00:00:00Z", startDate: "2023-05-20", maxResponseBytes: MAX_RESPONSE_BYTES });
    await runPollCycle(harness.deps);
  });
  afterAll(async () => {
    await harness?.close();
  });
  beforeEach(async () => {
    harness.simulator.setFault("csaf", null);
    harness.simulator.setFault("git", null);
    // Each case starts just after the next upstream release, so that new advisories are waiting.
    const next = harness.simulator.timeline.releases.find((release) => release.releasedAt > harness.clock.now());
    if (!next) throw new Error("the scenario has no release left");
    harness.clock.set(new Date(next.releasedAt.getTime() + 60_000));
    storedBefore = await countStored();
    expect(storedBefore.advisories).toBeGreaterThan(0);
  });

  it("records truncated advisory JSON as a partial poll with a parse error, keeps what is stored and retries the file", async () => {
    harness.simulator.setFault("csaf", { mode: "truncated-json" });
    const { report } = await pollUpstream(harness.deps, harness.config.upstreams[0]);
    expect(report.outcome).toBe("partial");
    expect(report.errorKind).toBe("parse");
    const run = await latestRun("redhat-csaf");
    expect(run).toMatchObject({ outcome: "partial", errorKind: "parse" });
    expect(run.errorMessage).toMatch(/\.json/);
    expect(await countStored()).toMatchObject({ advisories: storedBefore.advisories, evidence: storedBefore.evidence });

    harness.simulator.setFault("csaf", null);
    const retried = await pollUpstream(harness.deps, harness.config.upstreams[0]);
    expect(retried.report.outcome).toBe("success");
    expect(retried.advisoriesWritten).toBeGreaterThan(0);
  });

  it("fails the poll on an HTML error page served with status 200, losing nothing, while the mirror polls on", async () => {
    harness.simulator.setFault("csaf", { mode: "html-200" });
    await runPollCycle(harness.deps);
    const upstreamRun = await latestRun("redhat-csaf");
    expect(upstreamRun).toMatchObject({ outcome: "failed", errorKind: "parse" });
    expect(upstreamRun.errorMessage).toMatch(/changes\.csv/);
    const mirrorRun = await latestRun("git.centos.org");
    expect(mirrorRun.outcome).toBe("success");
    const after = await countStored();
    expect(after.advisories).toBe(storedBefore.advisories);
    expect(after.packages).toBe(storedBefore.packages);
    expect(after.published).toBeGreaterThanOrEqual(storedBefore.published);
  });

  it("stops reading an oversized body at the cap and records too_large", async () => {
    harness.simulator.setFault("csaf", { mode: "oversized", bytes: MAX_RESPONSE_BYTES * 3 });
    const { report } = await pollUpstream(harness.deps, harness.config.upstreams[0]);
    expect(report.outcome).toBe("failed");
    expect(report.errorKind).toBe("too_large");
    expect(report.stats.bytes).toBeLessThanOrEqual(MAX_RESPONSE_BYTES + 256 * 1024);
    expect(await countStored()).toEqual(storedBefore);
  });

  it("rejects an advisory whose source purl is invalid with invalid_data, storing none of it", async () => {
    harness.simulator.setFault("csaf", { mode: "invalid-purl" });
    const { report } = await pollUpstream(harness.deps, harness.config.upstreams[0]);
    expect(report.outcome).toBe("partial");
    expect(report.errorKind).toBe("invalid_data");
    expect(report.errorMessage).toMatch(/purl/i);
    expect(await countStored()).toEqual(storedBefore);
  });

  it("records a mirror answering garbage instead of git as a failed poll with a parse error", async () => {
    await pollUpstream(harness.deps, harness.config.upstreams[0]);
    storedBefore = await countStored();
    harness.simulator.setFault("git", { mode: "html-200" });
    const { report } = await pollMirror(harness.deps, harness.config.mirrors[0]);
    expect(report.outcome).toBe("failed");
    expect(report.errorKind).toBe("parse");
    expect(await countStored()).toEqual(storedBefore);
  });
});
