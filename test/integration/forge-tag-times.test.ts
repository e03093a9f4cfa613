import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AlertDetails } from "../../core/alerts/types";
import { CENTOS_LIGHTWEIGHT_TAG_PACKAGES, listCentosImports, type ForgeImport } from "../../simulator/git-forge/build-forge-store";
import { listOpenElaImports } from "../../simulator/openela/create-openela-replica";
import { runPollCycle } from "../../worker/run-poll-cycle";
import { testDatabaseProvider } from "../support/test-database";
import { startWorkerHarness, type WorkerHarness } from "../support/worker-harness";

/** Five weeks after git.centos.org stopped importing (2023-06-14): a fresh install sees only old tags. */
const INSTALLED_AT = "2023-07-20T00:00:00Z";
const FORGES = ["git.centos.org", "openela"];

/** The earliest import of each tag, by `<mirror>|<package>|<ref>`: the time its tag carries. */
function indexImportTimes(mirrorId: string, imports: ForgeImport[], times = new Map<string, number>()): Map<string, number> {
  for (const item of imports) {
    const key = `${mirrorId}|${item.repositoryName}|refs/tags/${item.tag}`;
    times.set(key, Math.min(times.get(key) ?? Infinity, item.importAt.getTime()));
  }
  return times;
}

describe(`publication times read from the forges' own tags (${testDatabaseProvider()})`, () => {
  let harness: WorkerHarness;
  let importTimes: Map<string, number>;

  const countGitRequests = (kind: "info-refs" | "ls-refs" | "fetch") =>
    harness.simulator.gitForgeStats().gitRequests[kind] + harness.simulator.replicas.openela.stats().gitRequests[kind];
  const countFetches = () => countGitRequests("fetch");
  const listForgePollRuns = () => harness.database.db.pollRun.findMany({ where: { sourceId: { in: FORGES } }, orderBy: { id: "asc" } });

  beforeAll(async () => {
    harness = await startWorkerHarness({ start: INSTALLED_AT, startDate: "2023-04-25", extraMirrors: ["openela"] });
    importTimes = indexImportTimes("git.centos.org", listCentosImports(harness.simulator.timeline.packages));
    indexImportTimes("openela", listOpenElaImports(harness.simulator.timeline), importTimes);
    await runPollCycle(harness.deps);
  }, 240_000);
  afterAll(async () => harness?.close());

  it("dates every published verdict's evidence by its tag, to the second, on the first poll of a fresh database", async () => {
    const verdicts = await harness.database.db.verdict.findMany({
      where: { mirrorId: { in: FORGES }, status: "published" },
      include: { evidence: true, package: { include: { advisory: true } } },
    });
    const originsByMirror = new Map<string, Set<string | null>>();

    for (const verdict of verdicts) {
      const evidence = verdict.evidence!;
      const isLightweight = verdict.mirrorId === "git.centos.org" && CENTOS_LIGHTWEIGHT_TAG_PACKAGES.includes(evidence.name);
      expect({ ref: evidence.ref, publishedAt: evidence.publishedAt?.getTime(), origin: evidence.publishedAtOrigin }).toEqual({
        ref: evidence.ref,
        publishedAt: importTimes.get(`${verdict.mirrorId}|${evidence.name}|${evidence.ref}`),
        origin: isLightweight ? "commit_date" : "tagger_date",
      });
      originsByMirror.set(verdict.mirrorId, (originsByMirror.get(verdict.mirrorId) ?? new Set()).add(evidence.publishedAtOrigin));
    }

    expect(verdicts.filter((verdict) => verdict.mirrorId === "git.centos.org").length).toBeGreaterThan(20);
    expect(verdicts.filter((verdict) => verdict.mirrorId === "openela").length).toBeGreaterThan(20);
    expect(originsByMirror.get("git.centos.org")).toEqual(new Set(["tagger_date", "commit_date"]));
    expect(originsByMirror.get("openela")).toEqual(new Set(["tagger_date"]));
  });

  it("measures an exact build's lag as tag time minus release time", async () => {
    const exact = await harness.database.db.verdict.findMany({
      where: { mirrorId: { in: FORGES }, status: "published", matchOutcome: "exact" },
      include: { evidence: true, package: { include: { advisory: true } } },
    });
    const lags = exact.filter((verdict) => verdict.lagSeconds !== null && verdict.evidence?.publishedAt);

    expect(lags.length).toBeGreaterThan(20);
    for (const verdict of lags) {
      const tagLagSeconds = (verdict.evidence!.publishedAt!.getTime() - verdict.package.advisory.issuedAt.getTime()) / 1000;
      // Another build that carries the fix earlier may be what the lag is measured to; never a later one.
      expect(verdict.lagSeconds!).toBeLessThanOrEqual(tagLagSeconds);
    }
    expect(
      lags.some(
        (verdict) => verdict.lagSeconds === (verdict.evidence!.publishedAt!.getTime() - verdict.package.advisory.issuedAt.getTime()) / 1000,
      ),
    ).toBe(true);
  });

  it("fires git.centos.org's publishing_stopped alert on the first cycle, naming its real last import", async () => {
    const lastImportAt = Math.max(
      ...listCentosImports(harness.simulator.timeline.packages)
        .filter((item) => item.major === 8 && item.importAt.getTime() <= Date.parse(INSTALLED_AT))
        .map((item) => item.importAt.getTime()),
    );

    const alert = await harness.database.db.alert.findFirst({
      where: { kind: "publishing_stopped", mirrorId: "git.centos.org", major: 8, status: "firing" },
    });

    expect(alert && (JSON.parse(alert.details) as AlertDetails).stop?.lastPublishedAt).toBe(new Date(lastImportAt).toISOString());
  });

  it("asks each repository with new tags for their objects in one fetch, and never asks Pagure", async () => {
    const evidence = await harness.database.db.evidence.groupBy({ by: ["mirrorId", "name"], where: { mirrorId: { in: FORGES } } });

    expect(countFetches()).toBe(evidence.length);
    expect(harness.simulator.stats().requests["pagure-commit"] ?? 0).toBe(0);
  });

  it("makes no fetch on a cycle without new tags: only the ref listings", async () => {
    const fetchesBefore = countFetches();
    const runsBefore = (await listForgePollRuns()).length;
    const centosBefore = harness.simulator.gitForgeStats().gitRequests;

    await runPollCycle(harness.deps);

    const runs = (await listForgePollRuns()).slice(runsBefore);
    const centos = harness.simulator.gitForgeStats().gitRequests;
    const centosListings = centos["ls-refs"] - centosBefore["ls-refs"];
    expect(countFetches()).toBe(fetchesBefore);
    expect(runs.map((run) => [run.sourceId, run.outcome, run.items])).toEqual(FORGES.map((id) => [id, "success", 0]));
    // Each repository costs its advertisement (GET info/refs) and one ls-refs; a missing one only the advertisement.
    expect(centosListings).toBeGreaterThan(0);
    expect(runs[0].requests).toBe(centos["info-refs"] - centosBefore["info-refs"] + centosListings);
  });

  it("serves the two kinds of forge: git.centos.org's upload-pack offers no filter, OpenELA's (like GitHub) does", async () => {
    const capabilities = async (url: string) =>
      (await (await fetch(url, { headers: { "Git-Protocol": "version=2" } })).text()).split("\n").find((line) => line.includes("fetch="));

    expect(await capabilities(`${harness.simulator.url}/rpms/firefox.git/info/refs?service=git-upload-pack`)).not.toContain("filter");
    expect(await capabilities(`${harness.simulator.url}/openela/firefox.git/info/refs?service=git-upload-pack`)).toContain("filter");
  });
});
