import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { foldNewestBuilds, newestBuildKey } from "../../core/newest-builds";
import { formatNevra } from "../../core/nevra";
import type { Evidence } from "../../core/types";
import { createTestDatabase, testDatabaseProvider, type TestDatabase } from "../../test/support/test-database";
import type { Db } from "../db/client";
import { startPollRun } from "../poll-runs/start-poll-run";
import { readNewestBuilds } from "../read/read-newest-builds";
import { catchUpAllNewestBuilds } from "./catch-up-newest-builds";
import { recordMirrorPoll } from "./record-mirror-poll";

const t0 = new Date("2024-03-01T00:00:00Z");
const success = {
  outcome: "success" as const,
  stats: { requests: 1, notModified: 0, bytes: 1, retries: 0 },
  items: 0,
  errorKind: null,
  errorMessage: null,
};

function srpm(name: string, major: number, version: string, release: string, epoch: number | null = null): Evidence {
  const ref = `${name}-${epoch === null ? "" : `${epoch}:`}${version}-${release}.src.rpm`;
  return {
    evidenceKind: "srpm",
    name,
    epoch,
    version,
    release,
    major,
    moduleStream: null,
    ref,
    url: `https://mirror.example/el${major}/${ref}`,
    commitSha: null,
    publishedAt: null,
    publishedAtOrigin: null,
  };
}

/** The newest of every build stored, computed the slow way: what NewestBuild must agree with. */
async function newestByBruteForce(db: Db, mirrorId: string): Promise<Map<string, string>> {
  const builds = await db.evidence.findMany({ where: { mirrorId }, orderBy: { id: "asc" } });
  const newest = new Map<string, (typeof builds)[number]>();
  foldNewestBuilds(newest, builds);
  return new Map([...newest].map(([key, build]) => [key, formatNevra(build)]));
}

async function storedNewest(db: Db, mirrorId: string): Promise<Map<string, string>> {
  const rows = await db.newestBuild.findMany({ where: { mirrorId }, include: { evidence: true } });
  for (const row of rows) expect(newestBuildKey(row.evidence.name, row.evidence.major)).toBe(newestBuildKey(row.name, row.major));
  return new Map(rows.map((row) => [newestBuildKey(row.name, row.major), formatNevra(row.evidence)]));
}

/** Counts the reads of Evidence and NewestBuild that a call makes. */
function countingReads(db: Db): { db: Db; evidenceRows: () => number; reads: () => Record<string, number> } {
  const reads: Record<string, number> = {};
  let evidenceRows = 0;
  const counted = db.$extends({
    query: {
      async $allOperations({ model, operation, args, query }) {
        const result = await query(args);
        if (model) reads[`${model}.${operation}`] = (reads[`${model}.${operation}`] ?? 0) + 1;
        if (model === "Evidence" && Array.isArray(result)) evidenceRows += result.length;
        return result;
      },
    },
  });
  return { db: counted as unknown as Db, evidenceRows: () => evidenceRows, reads: () => reads };
}

describe(`the newest build per mirror, name and major (${testDatabaseProvider()})`, () => {
  let database: TestDatabase;
  let db: Db;
  let clock = t0.getTime();

  async function poll(mirrorId: string, newBuilds: Evidence[]) {
    const now = new Date((clock += 3_600_000));
    const pollRunId = await startPollRun(db, { sourceId: mirrorId, sourceKind: "mirror", now });
    await recordMirrorPoll(db, { mirrorId, pollRunId, startedAt: now, now, checkedNames: "all", newBuilds, report: success });
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    for (const id of ["polled", "upgraded", "large", "unfolded"])
      await db.mirror.create({ data: { id, name: id, kind: "srpm-index", config: "{}" } });
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("moves with every poll that stores builds, whatever order the versions come in", async () => {
    await poll("polled", [srpm("kernel", 8, "4.18.0", "477.9.1.el8_8"), srpm("bash", 9, "5.1.8", "6.el9_1")]);
    await poll("polled", [srpm("kernel", 8, "4.18.0", "477.10.1.el8_8"), srpm("kernel", 9, "5.14.0", "284.11.1.el9_2")]);
    // Older than what is held, and a build with an epoch that outranks any version without one.
    await poll("polled", [srpm("kernel", 8, "4.18.0", "425.3.1.el8"), srpm("bash", 9, "5.0", "1.el9", 1)]);
    await poll("polled", []);

    const stored = await storedNewest(db, "polled");
    expect(stored).toEqual(await newestByBruteForce(db, "polled"));
    expect(stored.get(newestBuildKey("kernel", 8))).toBe("kernel-4.18.0-477.10.1.el8_8");
    expect(stored.get(newestBuildKey("bash", 9))).toBe("bash-1:5.0-1.el9");
    const last = await db.evidence.findFirstOrThrow({ where: { mirrorId: "polled" }, orderBy: { id: "desc" } });
    expect((await db.sourceState.findUniqueOrThrow({ where: { sourceId: "polled" } })).newestBuildsThrough).toBe(last.id);

    const read = await readNewestBuilds(db, { mirrorId: "polled", names: ["kernel", "bash", "absent"] });
    expect(Object.fromEntries([...read].map(([key, build]) => [key, build.nevra]))).toEqual(Object.fromEntries(stored));
    expect(read.get(newestBuildKey("kernel", 8))?.url).toBe("https://mirror.example/el8/kernel-4.18.0-477.10.1.el8_8.src.rpm");
    const nine = await readNewestBuilds(db, { mirrorId: "polled", names: ["kernel"], major: 9 });
    expect([...nine.keys()]).toEqual([newestBuildKey("kernel", 9)]);
  });

  it("answers right on a database whose builds were stored before it existed, then folds them at the worker's start", async () => {
    // As a database upgraded to NewestBuild: Evidence rows and no mark.
    const names = ["glibc", "openssl", "curl"];
    await db.evidence.createMany({
      data: names.flatMap((name, index) =>
        ["1.el8", "12.el8", "3.el8"].map((release) => ({
          mirrorId: "upgraded",
          name,
          epoch: null,
          version: `2.${index}`,
          release,
          major: 8,
          kind: "srpm",
          ref: `${name}-2.${index}-${release}.src.rpm`,
          url: null,
          firstSeenAt: t0,
        })),
      ),
    });
    const before = await readNewestBuilds(db, { mirrorId: "upgraded", names });
    expect(before.get(newestBuildKey("openssl", 8))?.nevra).toBe("openssl-2.1-12.el8");
    expect(await db.newestBuild.count({ where: { mirrorId: "upgraded" } })).toBe(0);

    expect(await catchUpAllNewestBuilds(db, ["upgraded", "polled"])).toEqual(new Map([["upgraded", 9]]));
    expect(await storedNewest(db, "upgraded")).toEqual(await newestByBruteForce(db, "upgraded"));
    // Caught up, another start folds nothing.
    expect(await catchUpAllNewestBuilds(db, ["upgraded"])).toEqual(new Map());
    const after = await readNewestBuilds(db, { mirrorId: "upgraded", names });
    expect(after).toEqual(before);
  });

  it("folds a first poll of thousands of builds in bounded rounds, and a read then costs a row per name", async () => {
    const builds: Evidence[] = [];
    for (let index = 0; index < 4_500; index++)
      builds.push(srpm(`pkg${index % 600}`, 8 + (index % 2), `1.${(index * 7919) % 97}`, `${index % 13}.el${8 + (index % 2)}`));
    await poll("large", builds.slice(0, 3_000));
    await poll("large", builds.slice(3_000));
    expect(await storedNewest(db, "large")).toEqual(await newestByBruteForce(db, "large"));

    const names = Array.from({ length: 600 }, (_, index) => `pkg${index}`);
    const counting = countingReads(db);
    const read = await readNewestBuilds(counting.db, { mirrorId: "large", names });
    expect(read.size).toBe(600);
    expect(Object.fromEntries([...read].map(([key, build]) => [key, build.nevra]))).toEqual(
      Object.fromEntries(await newestByBruteForce(db, "large")),
    );
    // The stored newest of 600 names (two chunks), and the Evidence after the mark: none.
    expect(counting.reads()).toMatchObject({ "NewestBuild.findMany": 2, "Evidence.findMany": 1 });
    expect(counting.evidenceRows()).toBe(0);
  });

  it("adds the builds written after the mark, which a catch-up has not folded yet", async () => {
    const { id } = await db.evidence.create({
      data: {
        mirrorId: "large",
        name: "pkg1",
        epoch: 5,
        version: "0.1",
        release: "1.el9",
        major: 9,
        kind: "srpm",
        ref: "pkg1-5:0.1-1.el9.src.rpm",
        url: null,
        firstSeenAt: t0,
      },
    });
    const read = await readNewestBuilds(db, { mirrorId: "large", names: ["pkg1", "pkg2"] });
    expect(read.get(newestBuildKey("pkg1", 9))?.nevra).toBe("pkg1-5:0.1-1.el9");
    await catchUpAllNewestBuilds(db, ["large"]);
    expect(
      (await db.newestBuild.findUniqueOrThrow({ where: { mirrorId_name_major: { mirrorId: "large", name: "pkg1", major: 9 } } }))
        .evidenceId,
    ).toBe(id);
    expect(await readNewestBuilds(db, { mirrorId: "large", names: ["pkg1", "pkg2"] })).toEqual(read);
  });

  it("past 2,000 builds not folded yet, reads every build of its names instead", async () => {
    await db.evidence.createMany({
      data: Array.from({ length: 2_100 }, (_, index) => ({
        mirrorId: "unfolded",
        name: `n${index % 30}`,
        epoch: null,
        version: `${index % 41}.0`,
        release: "1.el8",
        major: 8,
        kind: "srpm",
        ref: `r${index}`,
        url: null,
        firstSeenAt: t0,
      })),
    });
    const counting = countingReads(db);
    const read = await readNewestBuilds(counting.db, { mirrorId: "unfolded", names: ["n3", "n4", "nobody"] });
    expect(counting.reads()).toMatchObject({ "Evidence.findMany": 2 });
    expect(counting.reads()["NewestBuild.findMany"]).toBeUndefined();
    const expected = await newestByBruteForce(db, "unfolded");
    expect(Object.fromEntries([...read].map(([key, build]) => [key, build.nevra]))).toEqual({
      [newestBuildKey("n3", 8)]: expected.get(newestBuildKey("n3", 8)),
      [newestBuildKey("n4", 8)]: expected.get(newestBuildKey("n4", 8)),
    });
    await catchUpAllNewestBuilds(db, ["unfolded"]);
    expect(await storedNewest(db, "unfolded")).toEqual(expected);
    expect(await readNewestBuilds(db, { mirrorId: "unfolded", names: ["n3", "n4", "nobody"] })).toEqual(read);
  });
});
