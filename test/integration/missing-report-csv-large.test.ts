import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as getMissingCsvRoute } from "../../app/api/v1/reports/missing.csv/route";
import { GET as getMissingReportRoute } from "../../app/api/v1/reports/missing/route";
import { MissingReportResponse } from "../../contract/missing-report-dto";
import { SrcwatchConfig } from "../../core/config";
import { setConfigForTests } from "../../server/config/get-config";
import { setDbForTests } from "../../server/db/client";
import { insertRows } from "../../server/db/insert-rows";
import { refreshUpdatesOf } from "../support/refresh-updates-of";
import { MISSING_REPORT_COLUMNS } from "../../server/read/format-report-csv";
import { parseCsv } from "../support/parse-csv";
import { createTestDatabase, testDatabaseProvider, type TestDatabase } from "../support/test-database";

/*
 * Issue 11: the missing-update CSV answered 500 from about 2,000 advisories on (every id of its one 50,000-row page was
 * bound into IN lists). 20,000 report rows, seeded by raw INSERT: the export streams every one of them, in order.
 */

const BASE = "http://srcwatch.test/api/v1";
const REPORT_ROWS = 20_000;
/** Advisory 0 and the last one are open on one mirror, the others on two. */
const OPEN_ADVISORIES = REPORT_ROWS / 2 + 1;
const PUBLISHED_ADVISORIES = 1_000;
const START_MS = Date.parse("2024-01-01T00:00:00Z");
const LAG_SECONDS = 5_400;

const LISTING_POLICY = { expectedLagHours: 72, missingAfterHours: 336, staleAfterMinutes: 720, streams: ["main"] };
const config = SrcwatchConfig.parse({
  upstreams: [
    {
      id: "redhat-csaf",
      kind: "csaf",
      name: "Red Hat CSAF",
      baseUrl: "https://security.access.redhat.com/data/csaf/v2/advisories/",
      startDate: "2024-01-01",
      majors: [8, 9],
    },
  ],
  mirrors: [
    {
      id: "git.centos.org",
      kind: "git-forge",
      name: "git.centos.org",
      majors: [8, 9],
      streams: ["main"],
      repoUrlTemplate: "https://git.centos.org/rpms/{name}.git",
      tagTemplate: "imports/c{major}/{nvr}",
      tagWebUrlTemplate: "https://git.centos.org/rpms/{name}/c/{sha}",
    },
    {
      id: "almalinux-errata",
      kind: "almalinux-errata",
      name: "AlmaLinux errata",
      majors: [8, 9],
      errataUrlTemplate: "https://errata.almalinux.org/{major}/errata.full.json",
      erratumWebUrlTemplate: "https://errata.almalinux.org/{major}/{idDash}.html",
      ...LISTING_POLICY,
    },
    {
      id: "rocky-errata",
      kind: "rocky-apollo",
      name: "Rocky Linux errata",
      majors: [8, 9],
      apiUrl: "https://apollo.build.resf.org/api/v3",
      erratumWebUrlTemplate: "https://errata.rockylinux.org/{id}",
      ...LISTING_POLICY,
    },
  ],
});

const openAdvisoryId = (index: number) => `RHSA-2024:${String(10_000 + index)}`;
/** Three advisories share each release time, so the export's batches (500 advisories) also end between advisories of one instant. */
const openIssuedAt = (index: number) => new Date(START_MS + Math.floor(index / 3) * 600_000);
/** The mirrors (in id order) an open advisory's package is delayed or missing on. */
function listOpenMirrors(index: number): string[] {
  if (index === 0) return ["rocky-errata"];
  if (index === OPEN_ADVISORIES - 1) return ["git.centos.org"];
  return ["git.centos.org", "rocky-errata"];
}
const nevraOf = (index: number) => `pkg${index}-0:1.0-1.el${index % 2 === 0 ? 8 : 9}`;

/** Advisories, one package each, their verdicts on the three mirrors and AlmaLinux's evidence, in a few multi-row INSERTs. */
async function seedReport(database: TestDatabase): Promise<{ advisoryId: string; mirrorName: string }[]> {
  const { db } = database;
  for (const mirror of config.mirrors)
    await db.mirror.create({ data: { id: mirror.id, name: mirror.name, kind: mirror.kind, config: "{}" } });
  const advisories: (string | Date)[][] = [];
  const packages: (string | number)[][] = [];
  const evidence: (string | number | Date)[][] = [];
  const verdicts: (string | number | Date | null)[][] = [];
  const expected: { advisoryId: string; mirrorName: string }[] = [];
  const addPackage = (id: string, issuedAt: Date, packageId: number, major: number, openMirrors: readonly string[]) => {
    packages.push([packageId, id, `pkg${packageId}`, 0, "1.0", `1.el${major}`, major, "main"]);
    const publishedAt = new Date(issuedAt.getTime() + LAG_SECONDS * 1000);
    evidence.push([
      packageId,
      "almalinux-errata",
      `pkg${packageId}`,
      "1.0",
      `1.el${major}`,
      major,
      "erratum",
      `ALSA-${packageId}`,
      `https://errata.almalinux.org/${packageId}.html`,
      publishedAt,
    ]);
    for (const mirror of config.mirrors) {
      const status = openMirrors.includes(mirror.id) ? (packageId % 3 === 0 ? "delayed" : "missing") : "published";
      const isPublishedWithEvidence = status === "published" && mirror.id === "almalinux-errata";
      verdicts.push([
        packageId,
        mirror.id,
        status,
        isPublishedWithEvidence ? LAG_SECONDS : null,
        isPublishedWithEvidence ? "erratum_date" : null,
        isPublishedWithEvidence ? packageId : null,
        issuedAt,
        issuedAt,
      ]);
    }
  };
  const addAdvisory = (id: string, issuedAt: Date, packageId: number, openMirrors: readonly string[]) => {
    advisories.push([
      id,
      "redhat-csaf",
      "security",
      "Important",
      `pkg${packageId} security update`,
      issuedAt,
      issuedAt,
      `https://x/${id}`,
      issuedAt,
    ]);
    addPackage(id, issuedAt, packageId, packageId % 2 === 0 ? 8 : 9, openMirrors);
  };
  for (let index = 0; index < OPEN_ADVISORIES; index++) {
    addAdvisory(openAdvisoryId(index), openIssuedAt(index), index, listOpenMirrors(index));
    for (const mirrorId of listOpenMirrors(index))
      expected.push({ advisoryId: openAdvisoryId(index), mirrorName: config.mirrors.find((mirror) => mirror.id === mirrorId)!.name });
  }
  for (let index = 0; index < PUBLISHED_ADVISORIES; index++) {
    // Released between the open ones and published everywhere: not in the report.
    addAdvisory(`RHBA-2024:${String(50_000 + index)}`, new Date(openIssuedAt(index * 10).getTime() + 300_000), OPEN_ADVISORIES + index, []);
  }
  // Advisory 1 fixes RHEL 8 as well as 9, overdue in both on its mirrors: one Update per major, still one row per mirror.
  addPackage(openAdvisoryId(1), openIssuedAt(1), OPEN_ADVISORIES + PUBLISHED_ADVISORIES, 8, listOpenMirrors(1));
  await insertRows(
    db,
    "Advisory",
    ["id", "upstreamId", "type", "severity", "title", "issuedAt", "updatedAt", "url", "fetchedAt"],
    advisories,
  );
  await insertRows(db, "Package", ["id", "advisoryId", "name", "epoch", "version", "release", "major", "stream"], packages);
  await insertRows(
    db,
    "Evidence",
    ["id", "mirrorId", "name", "version", "release", "major", "kind", "ref", "url", "firstSeenAt"],
    evidence,
  );
  await insertRows(
    db,
    "Verdict",
    ["packageId", "mirrorId", "status", "lagSeconds", "lagTimeOrigin", "evidenceId", "since", "evaluatedAt"],
    verdicts,
  );
  // The Updates, as the evaluation keeps them with its verdicts: the report counts its rows from them.
  const mirrorIds = [...new Set(verdicts.map((row) => String(row[1])))];
  const advisoryIds = advisories.map((row) => String(row[0]));
  for (const mirrorId of mirrorIds) await refreshUpdatesOf(db, mirrorId, advisoryIds);
  return expected;
}

async function readChunks(response: Response): Promise<{ text: string; chunks: number }> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let chunks = 0;
  for (let part = await reader.read(); !part.done; part = await reader.read()) {
    chunks++;
    text += decoder.decode(part.value, { stream: true });
  }
  return { text: text + decoder.decode(), chunks };
}

describe(`the missing-update CSV of ${REPORT_ROWS} rows (${testDatabaseProvider()})`, () => {
  let database: TestDatabase;
  let expected: { advisoryId: string; mirrorName: string }[];

  beforeAll(async () => {
    // The rows' ages count from now: a clock that ticks between a download and its revalidation changes the body.
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2024-06-01T00:00:00Z") });
    database = await createTestDatabase();
    setDbForTests(database.db);
    setConfigForTests(config);
    expected = await seedReport(database);
  });
  afterAll(async () => {
    vi.useRealTimers();
    setDbForTests(undefined);
    setConfigForTests(undefined);
    await database?.drop();
  });

  it("streams every row in the report's order, with the total and a validator that revalidates", async () => {
    const response = await getMissingCsvRoute(new Request(`${BASE}/reports/missing.csv`));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="srcwatch-missing-updates-all-mirrors-all-rhel-as-of-\d{4}-\d\d-\d\d\.csv"$/,
    );
    expect(response.headers.get("x-total-count")).toBe(String(REPORT_ROWS));
    const etag = response.headers.get("etag");
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);

    const { text, chunks } = await readChunks(response);
    expect(chunks).toBeGreaterThan(10);
    expect(text.endsWith("\r\n")).toBe(true);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual(MISSING_REPORT_COLUMNS.map((column) => column.header));
    expect(rows).toHaveLength(REPORT_ROWS);
    expect(rows[0][0]).toBe(openAdvisoryId(0));
    expect(rows[rows.length - 1][0]).toBe(openAdvisoryId(OPEN_ADVISORIES - 1));
    const column = (name: string) => MISSING_REPORT_COLUMNS.findIndex((candidate) => candidate.header === name);
    expect(rows.map((row) => ({ advisoryId: row[column("Advisory")], mirrorName: row[column("Mirror")] }))).toEqual(expected);

    // The first batch ends with advisory 453; 454 and 455 were released at the same instant and open the second one.
    const afterBoundary = rows[2 * 454];
    expect(afterBoundary[column("Advisory")]).toBe(openAdvisoryId(454));
    expect(afterBoundary[column("Mirror")]).toBe("Rocky Linux errata");
    expect(afterBoundary[column("Status")]).toBe("missing");
    expect(afterBoundary[column("RHEL")]).toBe("8");
    expect(afterBoundary[column("Packages")]).toBe(nevraOf(454));
    expect(afterBoundary[column("Available from")]).toBe("AlmaLinux errata");
    expect(afterBoundary[column("Lag there (hours)")]).toBe("1.5");
    expect(afterBoundary[column("Lag time origin")]).toBe("erratum_date");
    expect(afterBoundary[column("Evidence")]).toBe("https://errata.almalinux.org/454.html");

    const twoMajors = rows.filter((row) => row[column("Advisory")] === openAdvisoryId(1));
    expect(twoMajors.map((row) => [row[column("Mirror")], row[column("RHEL")]])).toEqual([
      ["git.centos.org", "8 9"],
      ["Rocky Linux errata", "8 9"],
    ]);

    const revalidated = await getMissingCsvRoute(new Request(`${BASE}/reports/missing.csv`, { headers: { "If-None-Match": etag! } }));
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe("");
  });

  it("exports only the rows the filters keep", async () => {
    const response = await getMissingCsvRoute(new Request(`${BASE}/reports/missing.csv?mirror=rocky-errata&major=8`));
    expect(response.status).toBe(200);
    const [, ...rows] = parseCsv(await response.text());
    // RHEL 8: the even advisories, and advisory 1 by its second package.
    const kept = expected.filter(
      (row) =>
        row.mirrorName === "Rocky Linux errata" && (Number(row.advisoryId.slice(-5)) % 2 === 0 || row.advisoryId === openAdvisoryId(1)),
    );
    expect(rows.map((row) => row[0])).toEqual(kept.map((row) => row.advisoryId));
    expect(response.headers.get("x-total-count")).toBe(String(kept.length));
  });

  it("pages the JSON report over the same rows, a page of 5,000 as well", async () => {
    const response = await getMissingReportRoute(new Request(`${BASE}/reports/missing?pageSize=5000&page=4`));
    expect(response.status).toBe(200);
    const report = MissingReportResponse.parse(await response.json());
    expect(report.total).toBe(REPORT_ROWS);
    expect(report.rows.map((row) => ({ advisoryId: row.advisoryId, mirrorName: row.mirrorName }))).toEqual(expected.slice(15_000));
  });
});
