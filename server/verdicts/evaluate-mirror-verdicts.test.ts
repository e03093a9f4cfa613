import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SrcwatchConfig } from "../../core/config";
import type { Evidence } from "../../core/types";
import { createTestDatabase, testDatabaseProvider, type TestDatabase } from "../../test/support/test-database";
import { setConfigForTests } from "../config/get-config";
import { setDbForTests } from "../db/client";
import { recordMirrorPoll } from "../evidence/record-mirror-poll";
import { startPollRun } from "../poll-runs/start-poll-run";
import { getAdvisory } from "../read/get-advisory";
import { getPackageHistory } from "../read/get-package-history";
import { evaluateMirrorVerdicts } from "./evaluate-mirror-verdicts";

const issuedAt = new Date("2024-01-20T00:00:00Z");
const now = new Date("2024-01-25T00:00:00Z");
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

function srpm(name: string, version: string, release: string, publishedAt: Date | null): Evidence {
  const fileName = `${name}-${version}-${release}.src.rpm`;
  return {
    evidenceKind: "srpm",
    name,
    epoch: null,
    version,
    release,
    major: 8,
    moduleStream: null,
    ref: fileName,
    url: `https://oss.oracle.com/ol8/SRPMS-updates/${fileName}`,
    commitSha: null,
    publishedAt,
    publishedAtOrigin: publishedAt ? "index_date" : null,
  };
}

describe(`evaluateMirrorVerdicts with several builds carrying the fix (${testDatabaseProvider()})`, () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
    const { db } = database;
    setDbForTests(db);
    setConfigForTests(config);
    await db.mirror.create({ data: { id: mirror.id, name: mirror.name, kind: mirror.kind, config: "{}" } });
    await db.advisory.create({
      data: {
        id: "RHSA-2024:0001",
        upstreamId: "redhat",
        type: "security",
        issuedAt,
        updatedAt: issuedAt,
        url: "https://access.redhat.com/errata/RHSA-2024:0001",
        fetchedAt: issuedAt,
        packages: {
          create: [
            { name: "firefox", epoch: 0, version: "115.7.0", release: "1.el8_9", major: 8, stream: "main" },
            { name: "bash", epoch: 0, version: "4.4.20", release: "5.el8_9", major: 8, stream: "main" },
          ],
        },
      },
    });
    const pollRunId = await startPollRun(db, { sourceId: mirror.id, sourceKind: "mirror", now });
    await recordMirrorPoll(db, {
      mirrorId: mirror.id,
      pollRunId,
      startedAt: now,
      now,
      checkedNames: "all",
      newBuilds: [
        // Listed in string order, the newer build first; it also reached the index six hours before the exact one.
        srpm("firefox", "115.10.0", "1.el8_9", new Date("2024-01-20T06:00:00Z")),
        srpm("firefox", "115.7.0", "1.el8_9", new Date("2024-01-20T12:00:00Z")),
        // A clock reset on the index: a date years before the release is not believed.
        srpm("bash", "4.4.20", "5.el8_9", new Date("2019-01-01T00:00:00Z")),
      ],
      report: {
        outcome: "success",
        stats: { requests: 1, notModified: 0, bytes: 100, retries: 0 },
        items: 3,
        errorKind: null,
        errorMessage: null,
      },
    });
    await evaluateMirrorVerdicts(db, { mirror, now });
  });
  afterAll(async () => {
    setDbForTests(undefined);
    setConfigForTests(undefined);
    await database?.drop();
  });

  it("keeps the exact build as evidence and the earlier newer build as the one the lag is measured to", async () => {
    const verdict = await database.db.verdict.findFirstOrThrow({
      where: { package: { name: "firefox" } },
      include: { evidence: true, lagEvidence: true },
    });
    expect({
      status: verdict.status,
      lagSeconds: verdict.lagSeconds,
      isTimeSuspect: verdict.isTimeSuspect,
      shown: verdict.evidence?.version,
      measuredTo: verdict.lagEvidence?.version,
      match: verdict.matchOutcome,
    }).toEqual({
      status: "published",
      lagSeconds: 6 * 3600,
      isTimeSuspect: false,
      shown: "115.7.0",
      measuredTo: "115.10.0",
      match: "exact",
    });
  });

  it("shows both builds in the API, with where the lag's time came from", async () => {
    const detail = await getAdvisory("RHSA-2024:0001", { now });
    const firefox = detail.packages.find((pkg) => pkg.name === "firefox")!.verdicts[0];
    expect(firefox).toMatchObject({
      lagSeconds: 6 * 3600,
      publishedAt: "2024-01-20T06:00:00.000Z",
      lagTimeOrigin: "index_date",
      lagPrecisionSeconds: null,
      isTimeSuspect: false,
      evidence: { nevra: "firefox-115.7.0-1.el8_9", publishedAt: "2024-01-20T12:00:00.000Z", publishedAtOrigin: "index_date" },
      lagEvidence: { nevra: "firefox-115.10.0-1.el8_9", publishedAt: "2024-01-20T06:00:00.000Z", publishedAtOrigin: "index_date" },
    });
  });

  it("gives no lag to a build with an unbelievable time found at the mirror's first poll: published before tracking, in the API and the package history", async () => {
    const stored = await database.db.verdict.findFirstOrThrow({ where: { package: { name: "bash" } } });
    expect(stored).toMatchObject({
      status: "published",
      lagSeconds: null,
      publishedAt: null,
      lagTimeOrigin: "before_tracking",
      isTimeSuspect: true,
    });
    const detail = await getAdvisory("RHSA-2024:0001", { now });
    const bash = detail.packages.find((pkg) => pkg.name === "bash")!.verdicts[0];
    expect(bash).toMatchObject({
      status: "published",
      lagSeconds: null,
      publishedAt: null,
      lagTimeOrigin: "before_tracking",
      lagPrecisionSeconds: null,
      isTimeSuspect: true,
      lagEvidence: null,
      evidence: { firstSeenAt: now.toISOString(), lastAbsentAt: null },
    });
    const history = await getPackageHistory("bash", { now });
    expect(history.advisories[0].builds[0].verdicts[0]).toMatchObject({
      lagSeconds: null,
      publishedAt: null,
      lagTimeOrigin: "before_tracking",
      isTimeSuspect: true,
      firstSeenAt: now.toISOString(),
    });
  });
});
