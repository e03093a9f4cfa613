import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SrcwatchConfig } from "../../core/config";
import type { Evidence, UpstreamAdvisory } from "../../core/types";
import { expectUpdatesConsistent } from "../../test/support/expect-updates-consistent";
import { interleaveAfterRead } from "../../test/support/interleave-after-read";
import { createTestDatabase, testDatabaseProvider, type TestDatabase } from "../../test/support/test-database";
import { recordUpstreamPoll } from "../advisories/record-upstream-poll";
import type { Db } from "../db/client";
import { recordMirrorPoll } from "../evidence/record-mirror-poll";
import { startPollRun } from "../poll-runs/start-poll-run";
import { evaluateMirrorVerdicts } from "./evaluate-mirror-verdicts";

const HOUR = 3_600_000;
const t0 = new Date("2024-01-20T00:00:00Z");
const at = (hours: number) => new Date(t0.getTime() + hours * HOUR);
const config = SrcwatchConfig.parse({
  upstreams: [
    {
      id: "redhat",
      kind: "csaf",
      name: "Red Hat",
      baseUrl: "https://security.access.redhat.com/data/csaf/v2/advisories/",
      startDate: "2024-01-01",
      majors: [8],
    },
  ],
  mirrors: [
    {
      id: "oracle",
      kind: "srpm-index",
      name: "oss.oracle.com",
      majors: [8],
      indexUrlTemplate: "https://oss.oracle.com/ol{major}/SRPMS-updates/",
    },
  ],
});
const mirror = config.mirrors[0];
const success = {
  outcome: "success" as const,
  stats: { requests: 1, notModified: 0, bytes: 1, retries: 0 },
  items: 0,
  errorKind: null,
  errorMessage: null,
};

function advisory(id: string, issuedAt: Date, names: string[]): UpstreamAdvisory {
  return {
    id,
    type: "security",
    severity: "Important",
    title: id,
    issuedAt,
    updatedAt: issuedAt,
    url: `https://access.redhat.com/errata/${id}`,
    cves: [],
    packages: names.map((name) => ({
      name,
      epoch: 0,
      version: "1.0",
      release: "1.el8_9",
      major: 8,
      stream: "main",
      minor: "9",
      moduleStream: null,
    })),
  };
}

function srpm(name: string, publishedAt: Date): Evidence {
  const ref = `${name}-1.0-1.el8_9.src.rpm`;
  return {
    evidenceKind: "srpm",
    name,
    epoch: null,
    version: "1.0",
    release: "1.el8_9",
    major: 8,
    moduleStream: null,
    ref,
    url: `https://oss.oracle.com/ol8/SRPMS-updates/${ref}`,
    commitSha: null,
    publishedAt,
    publishedAtOrigin: "index_date",
  };
}

/** The database as evaluation sees it, counting every statement that reads or writes the Verdict table. */
function countVerdictStatements(db: Db): { db: Db; count: () => number } {
  let statements = 0;
  const counted = db.$extends({
    query: {
      async $allOperations({ model, args, query }) {
        const sql = model ? "" : JSON.stringify(args);
        if (model === "Verdict" || sql.includes('"Verdict"')) statements++;
        return query(args);
      },
    },
  });
  return { db: counted as unknown as Db, count: () => statements };
}

describe(`verdict evaluation touches only what is due (${testDatabaseProvider()})`, () => {
  let database: TestDatabase;
  let db: Db;

  async function pollUpstream(now: Date, advisories: UpstreamAdvisory[], deletedIds: string[] = []) {
    const pollRunId = await startPollRun(db, { sourceId: "redhat", sourceKind: "upstream", now });
    await recordUpstreamPoll(db, { upstreamId: "redhat", pollRunId, now, advisories, deletedIds, syncState: undefined, report: success });
  }
  async function pollMirror(now: Date, newBuilds: Evidence[]) {
    const pollRunId = await startPollRun(db, { sourceId: mirror.id, sourceKind: "mirror", now });
    await recordMirrorPoll(db, { mirrorId: mirror.id, pollRunId, startedAt: now, now, checkedNames: "all", newBuilds, report: success });
  }
  const statusOf = async (name: string) =>
    (await db.verdict.findFirstOrThrow({ where: { mirrorId: mirror.id, package: { name } }, select: { status: true } })).status;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    await db.mirror.create({ data: { id: mirror.id, name: mirror.name, kind: mirror.kind, config: "{}" } });
    await pollUpstream(at(0), [
      advisory("RHSA-2024:0001", at(0), ["firefox", "bash"]),
      advisory("RHSA-2024:0002", at(0), ["curl"]),
      advisory("RHSA-2024:0003", at(-240), ["zlib"]),
    ]);
    await pollMirror(at(1), [srpm("firefox", at(0.5)), srpm("zlib", at(-230))]);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("builds every verdict and Update at the first pass", async () => {
    const result = await evaluateMirrorVerdicts(db, { mirror, now: at(1) });
    expect(result).toMatchObject({ evaluated: 4, created: 4 });
    expect(await statusOf("bash")).toBe("pending");
    await expectUpdatesConsistent(db, mirror.id);
    const update = await db.mirrorUpdate.findUniqueOrThrow({
      where: { mirrorId_advisoryId_major: { mirrorId: mirror.id, advisoryId: "RHSA-2024:0001", major: 8 } },
    });
    expect(update).toMatchObject({ status: "pending", packages: 2, nextChangeAt: at(mirror.expectedLagHours) });
  });

  it("reads no verdict at all in a pass with nothing due", async () => {
    const counter = countVerdictStatements(db);
    const result = await evaluateMirrorVerdicts(counter.db, { mirror, now: at(1.1) });
    expect(result).toEqual({ evaluated: 0, created: 0, changed: 0 });
    expect(counter.count()).toBe(0);
  });

  it("evaluates only the verdicts whose time came when the expected lag passes", async () => {
    await pollMirror(at(mirror.expectedLagHours + 0.5), []);
    const result = await evaluateMirrorVerdicts(db, { mirror, now: at(mirror.expectedLagHours + 1) });
    expect(result).toEqual({ evaluated: 2, created: 0, changed: 2 });
    expect([await statusOf("bash"), await statusOf("curl"), await statusOf("firefox")]).toEqual(["delayed", "delayed", "published"]);
    await expectUpdatesConsistent(db, mirror.id);
  });

  it("evaluates only the names a mirror poll found new builds of", async () => {
    const now = at(mirror.expectedLagHours + 2);
    await pollMirror(now, [srpm("bash", at(mirror.expectedLagHours + 1.5))]);
    const result = await evaluateMirrorVerdicts(db, { mirror, now });
    expect(result).toEqual({ evaluated: 1, created: 0, changed: 1 });
    expect(await statusOf("bash")).toBe("published");
    const update = await db.mirrorUpdate.findUniqueOrThrow({
      where: { mirrorId_advisoryId_major: { mirrorId: mirror.id, advisoryId: "RHSA-2024:0001", major: 8 } },
    });
    expect(update).toMatchObject({
      status: "published",
      lagSeconds: (mirror.expectedLagHours + 1.5) * 3600,
      publishedAt: at(mirror.expectedLagHours + 1.5),
    });
    await expectUpdatesConsistent(db, mirror.id);
  });

  it("follows upstream: a new package, a moved release time and a deleted advisory change their Updates and counters", async () => {
    const now = at(mirror.expectedLagHours + 3);
    await pollUpstream(
      now,
      [
        advisory("RHSA-2024:0001", at(0), ["firefox", "bash", "nss"]),
        advisory("RHSA-2024:0002", at(mirror.expectedLagHours - 10), ["curl"]),
      ],
      ["RHSA-2024:0003"],
    );
    await expectUpdatesConsistent(db, mirror.id);
    const result = await evaluateMirrorVerdicts(db, { mirror, now });
    expect(result).toMatchObject({ created: 1 });
    expect([await statusOf("nss"), await statusOf("curl")]).toEqual(["unknown", "pending"]);
    expect(await db.mirrorUpdate.count({ where: { mirrorId: mirror.id, advisoryId: "RHSA-2024:0003" } })).toBe(0);
    await expectUpdatesConsistent(db, mirror.id);
  });

  it("turns every open verdict unknown when our polls go stale, and back when a poll succeeds", async () => {
    const staleAt = at(mirror.expectedLagHours + 3 + mirror.staleAfterMinutes / 60 + 1);
    await evaluateMirrorVerdicts(db, { mirror, now: staleAt });
    expect([await statusOf("curl"), await statusOf("nss"), await statusOf("firefox")]).toEqual(["unknown", "unknown", "published"]);
    await expectUpdatesConsistent(db, mirror.id);
    await pollMirror(staleAt, []);
    await evaluateMirrorVerdicts(db, { mirror, now: staleAt });
    expect([await statusOf("curl"), await statusOf("nss")]).toEqual(["pending", "delayed"]);
    await expectUpdatesConsistent(db, mirror.id);
  });

  it("gives the same verdicts as evaluating everything again", async () => {
    const now = at(mirror.expectedLagHours + 3 + mirror.staleAfterMinutes / 60 + 1);
    const result = await evaluateMirrorVerdicts(db, { mirror, now, includeClosed: true });
    expect(result.changed).toBe(0);
    await expectUpdatesConsistent(db, mirror.id);
  });

  it("folds a rebuild's Updates from the database when an upstream poll wrote between its reads and its write", async () => {
    const now = at(mirror.expectedLagHours + 3 + mirror.staleAfterMinutes / 60 + 2);
    // The upstream poll drops nss from RHSA-2024:0001 after the rebuild read its verdicts, nss's included.
    const interleaved = interleaveAfterRead(db, {
      model: "verdict",
      method: "findMany",
      write: () => pollUpstream(now, [advisory("RHSA-2024:0001", at(0), ["firefox", "bash"])]),
    });
    await evaluateMirrorVerdicts(interleaved.db, { mirror, now, includeClosed: true });
    expect(interleaved.hasInterleaved()).toBe(true);
    const update = await db.mirrorUpdate.findUniqueOrThrow({
      where: { mirrorId_advisoryId_major: { mirrorId: mirror.id, advisoryId: "RHSA-2024:0001", major: 8 } },
    });
    expect(update.packages).toBe(2);
    await expectUpdatesConsistent(db, mirror.id);
  });
});
