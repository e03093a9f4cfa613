import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GitForgeMirrorConfig, MirrorConfig } from "../../core/config";
import { listOpenPackageNames } from "../../server/evidence/list-open-package-names";
import { listStoredEvidence } from "../../server/evidence/list-stored-evidence";
import { recordMirrorPoll } from "../../server/evidence/record-mirror-poll";
import { startPollRun } from "../../server/poll-runs/start-poll-run";
import { whereOpenVerdict } from "../../server/verdicts/open-verdicts";
import { computeMirrorPublications } from "../../simulator/scenarios/mirror-publications";
import { gitForgeSource } from "../../sources/git-forge/git-forge-source";
import { pollMirror } from "../../worker/poll-mirror";
import { runPollCycle } from "../../worker/run-poll-cycle";
import { testDatabaseProvider } from "../support/test-database";
import { startWorkerHarness, type WorkerHarness } from "../support/worker-harness";

/** Five weeks after git.centos.org stopped importing (2023-06-14): most of its open packages have been missing for weeks. */
const START = new Date("2023-07-20T00:00:00Z");
const HOUR_MS = 3_600_000;
const POLL_MS = 1800 * 1000;
const at = (hours: number) => new Date(START.getTime() + hours * HOUR_MS);
const keyOf = (name: string, major: number) => `${name}/${major}`;
const listPairs = (names: ReadonlyMap<string, ReadonlySet<number>>) =>
  [...names].flatMap(([name, majors]) => [...majors].map((major) => keyOf(name, major)));

describe(`polling politeness (${testDatabaseProvider()})`, () => {
  let harness: WorkerHarness;
  let forge: GitForgeMirrorConfig;
  let rocky: MirrorConfig;

  /** Release of the newest open package of each name × major on git.centos.org. */
  async function listNewestOpenRelease(): Promise<Map<string, Date>> {
    const rows = await harness.database.db.verdict.findMany({
      where: { mirrorId: forge.id, ...whereOpenVerdict(false) },
      select: { package: { select: { name: true, major: true, advisory: { select: { issuedAt: true } } } } },
    });
    const newest = new Map<string, Date>();
    for (const { package: pkg } of rows) {
      const key = keyOf(pkg.name, pkg.major);
      if (!newest.has(key) || newest.get(key)! < pkg.advisory.issuedAt) newest.set(key, pkg.advisory.issuedAt);
    }
    return newest;
  }

  const listDueNames = (now: Date) => listOpenPackageNames(harness.database.db, forge.id, { schedule: { now, mirror: forge } });

  /** What the worker records after a poll of the due names that found nothing new: they were asked at `now`. */
  async function recordAskedNames(now: Date, asked: ReadonlyMap<string, ReadonlySet<number>>): Promise<void> {
    const pollRunId = await startPollRun(harness.database.db, { sourceId: forge.id, sourceKind: "mirror", now });
    await recordMirrorPoll(harness.database.db, {
      mirrorId: forge.id,
      pollRunId,
      startedAt: now,
      now,
      newBuilds: [],
      checkedNames: asked,
      report: {
        outcome: "success",
        stats: { requests: 0, notModified: 0, bytes: 0, retries: 0 },
        items: 0,
        errorKind: null,
        errorMessage: null,
      },
    });
  }

  beforeAll(async () => {
    harness = await startWorkerHarness({ start: START.toISOString(), startDate: "2023-04-25", extraMirrors: ["rocky-errata"] });
    forge = harness.config.mirrors.find((mirror): mirror is GitForgeMirrorConfig => mirror.kind === "git-forge")!;
    rocky = harness.config.mirrors.find((mirror) => mirror.id === "rocky-errata")!;
    await runPollCycle(harness.deps);
    // Every open name asked at START, as that cycle did — even if one of its lookups timed out on a loaded machine.
    await recordAskedNames(START, await listOpenPackageNames(harness.database.db, forge.id));
  }, 240_000);
  afterAll(async () => harness?.close());

  describe("a git forge's lookups back off by the age of what is missing", () => {
    it("asks the forge, on a poll where nothing changed, about every young package's name and not about those missing for weeks", async () => {
      const now = new Date(START.getTime() + POLL_MS);
      harness.clock.set(now);
      const open = await listOpenPackageNames(harness.database.db, forge.id);
      const due = await listDueNames(now);
      const newest = await listNewestOpenRelease();
      const young = [...newest].filter(([, releasedAt]) => now.getTime() - releasedAt.getTime() < forge.missingAfterHours * HOUR_MS);
      const advertisementsBefore = harness.simulator.gitForgeStats().gitRequests["info-refs"];

      const storedEvidence = await listStoredEvidence(harness.database.db, forge.id, [...due.keys()]);
      const result = await gitForgeSource.poll({
        http: harness.deps.createHttpClient(forge),
        mirror: forge,
        openPackages: due,
        storedEvidence,
        state: null,
      });

      expect(young.length).toBeGreaterThan(0);
      expect(listPairs(due)).toEqual(expect.arrayContaining(young.map(([key]) => key)));
      expect(listPairs(due).length).toBeLessThan(listPairs(open).length / 2);
      expect(result).toMatchObject({ ok: true, failures: [] });
      expect(result.ok && result.builds.filter((build) => !storedEvidence.has(build.ref))).toEqual([]);
      // One ref advertisement per repository asked about: the forge hears of the due names and of no other.
      expect(harness.simulator.gitForgeStats().gitRequests["info-refs"] - advertisementsBefore).toBe(due.size);
    });

    it("asks about a package missing for weeks at most once a day, and about a young one at every poll", async () => {
      const askedAt = new Map<string, Date[]>();
      const lastPollAt = at(49);
      for (let now = at(1); now <= lastPollAt; now = new Date(now.getTime() + POLL_MS)) {
        const due = await listDueNames(now);
        await recordAskedNames(now, due);
        for (const key of listPairs(due)) askedAt.set(key, [...(askedAt.get(key) ?? []), now]);
      }
      const pollCount = (lastPollAt.getTime() - at(1).getTime()) / POLL_MS + 1;
      const newest = await listNewestOpenRelease();
      const youngThroughout = [...newest.keys()].filter(
        (key) => lastPollAt.getTime() - newest.get(key)!.getTime() < forge.missingAfterHours * HOUR_MS,
      );
      const missingForWeeks = [...newest.keys()].filter(
        (key) => START.getTime() - newest.get(key)!.getTime() > (forge.missingAfterHours + 14 * 24) * HOUR_MS,
      );

      expect(youngThroughout.length).toBeGreaterThan(0);
      expect(missingForWeeks.length).toBeGreaterThan(5);
      for (const key of youngThroughout) expect({ key, asked: askedAt.get(key)?.length }).toEqual({ key, asked: pollCount });
      for (const key of missingForWeeks) {
        // Asked when the name's daily slot (offset per name) begins, at the first poll after: a day apart, give or take a poll.
        const instants = (askedAt.get(key) ?? []).map((instant) => instant.getTime());
        const gapsHours = instants.slice(1).map((instant, index) => (instant - instants[index]) / HOUR_MS);
        expect({ key, isTwoOrThree: instants.length >= 2 && instants.length <= 3 }).toEqual({ key, isTwoOrThree: true });
        for (const gap of gapsHours) expect({ key, gap }).toEqual({ key, gap: expect.toBeOneOf([23.5, 24]) });
      }
    });

    it("asks at once about a name with a package recorded after its last check, however old", async () => {
      const now = at(49.5);
      const newest = await listNewestOpenRelease();
      const dueBefore = new Set(listPairs(await listDueNames(now)));
      const oldNotDue = [...newest.keys()].find(
        (key) => !dueBefore.has(key) && now.getTime() - newest.get(key)!.getTime() > (forge.missingAfterHours + 14 * 24) * HOUR_MS,
      )!;
      const [name, major] = oldNotDue.split("/");

      await harness.database.db.package.updateMany({
        where: { name, major: Number(major) },
        data: { recordedAt: new Date(now.getTime() - 60_000) },
      });

      expect(listPairs(await listDueNames(now))).toContain(oldNotDue);
    });
  });

  describe("Rocky's Apollo is asked only for what is past its high-water mark", () => {
    const listRockyRuns = () => harness.database.db.pollRun.findMany({ where: { sourceId: "rocky-errata" }, orderBy: { id: "asc" } });
    const countPublished = (now: Date) =>
      new Set(
        computeMirrorPublications(harness.simulator.timeline, "rocky")
          .filter((publication) => publication.publishedAt <= now)
          .map((publication) => `${publication.erratumId}/${publication.nvr}`),
      ).size;

    it("costs one small request on a cycle with nothing new, the one advisory past the mark, or that plus one page", async () => {
      const outcomes: Array<{ requests: number; bytes: number; items: number }> = [];
      for (const now of [START, new Date("2023-07-21T00:00:00Z"), new Date("2023-07-23T00:00:00Z"), new Date("2023-07-23T00:00:00Z")]) {
        harness.clock.set(now);
        await pollMirror(harness.deps, rocky);
        const run = (await listRockyRuns()).at(-1)!;
        expect(run.outcome).toBe("success");
        outcomes.push({ requests: run.requests, bytes: run.bytes, items: run.items });
        expect(await harness.database.db.evidence.count({ where: { mirrorId: "rocky-errata" } })).toBe(countPublished(now));
      }

      const [unchanged, oneNew, severalNew, unchangedAgain] = outcomes;
      expect(unchanged).toMatchObject({ requests: 1, items: 0 });
      expect(unchanged.bytes).toBeLessThan(500);
      expect(oneNew.requests).toBe(1);
      expect(oneNew.items).toBeGreaterThan(0);
      expect(severalNew.requests).toBe(2);
      expect(severalNew.items).toBeGreaterThan(oneNew.items);
      expect(unchangedAgain).toEqual(unchanged);
    });
  });
});
