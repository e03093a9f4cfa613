import { describe, expect, it } from "vitest";
import { GET as getPackageRoute } from "../../app/api/v1/packages/[name]/route";
import { GET as listPackageGridRoute } from "../../app/api/v1/packages/route";
import { PackageGridResponse } from "../../contract/package-grid-dto";
import { GET as getMissingCsvRoute } from "../../app/api/v1/reports/missing.csv/route";
import { GET as getMissingMarkdownRoute } from "../../app/api/v1/reports/missing.md/route";
import { parseNevra } from "../../core/nevra";
import { compareEvr } from "../../core/rpm-version";
import { GET as getMissingReportRoute } from "../../app/api/v1/reports/missing/route";
import { GET as searchRoute } from "../../app/api/v1/search/route";
import { MISSING_REPORT_COLUMNS } from "../../server/read/format-report-csv";
import { MissingReportResponse } from "../../contract/missing-report-dto";
import { PackageHistoryResponse } from "../../contract/package-history-dto";
import { SearchResponse } from "../../contract/search-dto";
import { testDatabaseProvider } from "../support/test-database";
import { useHarnessForWebReads, pollAtStartAndAt } from "../support/use-harness-for-web-reads";
import type { WorkerHarness } from "../support/worker-harness";
import { parseCsv } from "../support/parse-csv";

const BASE = "http://srcwatch.test/api/v1";
const RHEL8_CENTOS_JUNE_JULY = "mirror=git.centos.org&major=8&from=2023-06-01&to=2023-07-31";

async function getJson(response: Response | Promise<Response>, status = 200): Promise<unknown> {
  const resolved = await response;
  expect(resolved.status).toBe(status);
  expect(resolved.headers.get("content-type")).toMatch(/application\/json/);
  return resolved.json();
}

describe(`the missing-update report, package history and search on polled data (${testDatabaseProvider()})`, () => {
  let harness: WorkerHarness;
  useHarnessForWebReads(
    {
      start: "2023-06-10T00:00:00Z",
      startDate: "2023-06-01",
      extraMirrors: ["centos-stream", "almalinux-errata", "rocky-errata", "openela", "oracle-srpms"],
    },
    async (started) => {
      harness = started;
      await pollAtStartAndAt(harness, ["2023-06-16", "2023-06-24"]);
    },
  );

  it("reports every RHEL 8 advisory missing or delayed on git.centos.org, oldest first, with where else it is available", async () => {
    const report = MissingReportResponse.parse(
      await getJson(getMissingReportRoute(new Request(`${BASE}/reports/missing?${RHEL8_CENTOS_JUNE_JULY}`))),
    );
    const expected = await harness.database.db.verdict.findMany({
      where: {
        mirrorId: "git.centos.org",
        status: { in: ["delayed", "missing"] },
        package: { major: 8, advisory: { issuedAt: { gte: new Date("2023-06-01"), lt: new Date("2023-08-01") } } },
      },
      select: { package: { select: { advisoryId: true } } },
    });
    const expectedIds = [...new Set(expected.map((verdict) => verdict.package.advisoryId))].sort();
    expect(expectedIds.length).toBeGreaterThan(0);
    expect(report.total).toBe(expectedIds.length);
    expect(report.rows.map((row) => row.advisoryId).sort()).toEqual(expectedIds);
    const issued = report.rows.map((row) => row.issuedAt);
    expect(issued).toEqual([...issued].sort());
    for (const row of report.rows) {
      expect(row.mirrorId).toBe("git.centos.org");
      expect(row.majors).toEqual([8]);
      expect(row.ageSeconds).toBe(Math.round((Date.parse(report.now) - Date.parse(row.issuedAt)) / 1000));
    }
    const available = report.rows.flatMap((row) => row.availableFrom);
    expect(available.length).toBeGreaterThan(0);
    expect(available.every((source) => source.mirrorId !== "git.centos.org" && /^https?:\/\//.test(source.evidenceUrl))).toBe(true);
    expect(new Set(available.map((source) => source.mirrorId))).toContain("oracle-srpms");
  });

  it("pages the report with a total that covers every page", async () => {
    const all = MissingReportResponse.parse(await getJson(getMissingReportRoute(new Request(`${BASE}/reports/missing`))));
    expect(all.total).toBeGreaterThan(2);
    const second = MissingReportResponse.parse(
      await getJson(getMissingReportRoute(new Request(`${BASE}/reports/missing?pageSize=2&page=2`))),
    );
    expect(second.total).toBe(all.total);
    expect(second.rows.map((row) => `${row.advisoryId}/${row.mirrorId}`)).toEqual(
      all.rows.slice(2, 4).map((row) => `${row.advisoryId}/${row.mirrorId}`),
    );
  });

  it("narrows the report by severity, type and date range", async () => {
    const important = MissingReportResponse.parse(
      await getJson(getMissingReportRoute(new Request(`${BASE}/reports/missing?severity=Important,Critical&type=security`))),
    );
    expect(important.rows.every((row) => row.type === "security" && ["Important", "Critical"].includes(row.severity ?? ""))).toBe(true);
    const future = MissingReportResponse.parse(
      await getJson(getMissingReportRoute(new Request(`${BASE}/reports/missing?from=2024-01-01`))),
    );
    expect(future).toMatchObject({ total: 0, rows: [] });
  });

  it.each([
    ["a day that is not a date", "from=2023-13-45", "from"],
    ["a range that ends before it starts", "from=2023-07-01&to=2023-06-01", "from"],
    ["an unknown severity", "severity=Urgent", "severity"],
  ])("answers 400 for %s", async (_name, query, parameter) => {
    const body = (await getJson(getMissingReportRoute(new Request(`${BASE}/reports/missing?${query}`)), 400)) as {
      error: { code: string; message: string };
    };
    expect(body.error.code).toBe("bad_request");
    expect(body.error.message).toContain(parameter);
  });

  it("exports the same rows as CSV, as an attachment named after the filters", async () => {
    const report = MissingReportResponse.parse(
      await getJson(getMissingReportRoute(new Request(`${BASE}/reports/missing?${RHEL8_CENTOS_JUNE_JULY}`))),
    );
    const response = await getMissingCsvRoute(new Request(`${BASE}/reports/missing.csv?${RHEL8_CENTOS_JUNE_JULY}`));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="srcwatch-missing-updates-git.centos.org-rhel8-released-2023-06-01-to-2023-07-31-as-of-${report.now.slice(0, 10)}.csv"`,
    );
    expect(response.headers.get("x-total-count")).toBe(String(report.total));
    const [header, ...rows] = parseCsv(await response.text());
    expect(header).toEqual(MISSING_REPORT_COLUMNS.map((column) => column.header));
    expect(rows).toEqual(report.rows.map((row) => MISSING_REPORT_COLUMNS.map((column) => column.format(row))));
  });

  it("says per package what git.centos.org should show, where srcwatch looked, when, and the newest build it found there", async () => {
    const report = MissingReportResponse.parse(
      await getJson(getMissingReportRoute(new Request(`${BASE}/reports/missing?${RHEL8_CENTOS_JUNE_JULY}`))),
    );
    const checks = report.rows.flatMap((row) => row.checks.map((check) => ({ row, check })));
    expect(checks.length).toBeGreaterThan(0);
    for (const { row, check } of checks) {
      expect(row.packages).toContain(check.package);
      const nevra = parseNevra(check.package)!;
      expect(check.name).toBe(nevra.name);
      expect(check.expected).toBe(`tag imports/c8/${nevra.name}-${nevra.version}-${nevra.release}`);
      expect(check.checkedUrl).toBe(`${harness.simulator.url}/rpms/${nevra.name}.git`);
      // The forge was asked about every name it is judged on: a missing package is one a poll looked for.
      expect(check.lastCheckedAt).not.toBeNull();
      expect(Date.parse(check.lastCheckedAt!)).toBeLessThanOrEqual(Date.parse(report.now));
      if (check.newestFound) {
        const found = parseNevra(check.newestFound.nevra)!;
        expect(found.name).toBe(nevra.name);
        expect(compareEvr({ ...found, epoch: nevra.epoch }, nevra)).toBeLessThan(0);
      }
    }
    // Git.centos.org carried most of these packages before it stopped: their older imports are what it shows.
    expect(checks.filter(({ check }) => check.newestFound !== null).length).toBeGreaterThan(0);
    const stored = await harness.database.db.evidence.findMany({ where: { mirrorId: "git.centos.org", major: 8 }, select: { name: true } });
    const namesWithBuilds = new Set(stored.map((entry) => entry.name));
    for (const { check } of checks) expect(check.newestFound !== null).toBe(namesWithBuilds.has(parseNevra(check.package)!.name));
  });

  it("exports the same report as Markdown to paste into a bug, a line per package with the expected tag", async () => {
    const report = MissingReportResponse.parse(
      await getJson(getMissingReportRoute(new Request(`${BASE}/reports/missing?${RHEL8_CENTOS_JUNE_JULY}`))),
    );
    const response = await getMissingMarkdownRoute(new Request(`${BASE}/reports/missing.md?${RHEL8_CENTOS_JUNE_JULY}`));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/markdown/);
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="srcwatch-missing-updates-git\.centos\.org-rhel8-released-2023-06-01-to-2023-07-31-as-of-\d{4}-\d\d-\d\d\.md"$/,
    );
    expect(response.headers.get("x-total-count")).toBe(String(report.total));
    const markdown = await response.text();
    expect(markdown).toMatch(/^### Delayed or missing updates on git\.centos\.org for RHEL 8, issued 2023-06-01 – 2023-07-31\n/);
    const lines = markdown.split("\n").filter((line) => line.startsWith("| ["));
    expect(lines).toHaveLength(report.rows.reduce((sum, row) => sum + row.checks.length, 0));
    for (const row of report.rows) {
      for (const check of row.checks) {
        const tag = check.expected.replace(/^tag /, "");
        const line = lines.find((candidate) => candidate.includes(`\`${check.package}\``));
        expect(line, check.package).toBeDefined();
        expect(line).toContain(`[${row.advisoryId}](`);
        expect(line).toContain(`\`${tag}\` (tag) in [`);
        expect(line).toContain(check.newestFound ? `\`${check.newestFound.nevra}\`` : "| none |");
        // Each line has the table's ten cells.
        expect(line!.split(/(?<!\\)\|/).length - 2).toBe(10);
      }
    }
    expect(markdown.trimEnd().endsWith(`${report.total} ${report.total === 1 ? "update" : "updates"} (advisory × mirror).`)).toBe(true);
  });

  it("lays out packages × mirrors: the newest update's verdict on each mirror and the newest build found there, a keyset page at a time", async () => {
    const db = harness.database.db;
    const ask = async (query: string) =>
      PackageGridResponse.parse(await getJson(listPackageGridRoute(new Request(`${BASE}/packages?${query}`))));
    const first = await ask("major=8&pageSize=5");
    expect(first.major).toBe(8);
    expect(first.mirrors.map((mirror) => mirror.id)).toEqual(
      harness.config.mirrors.filter((mirror) => mirror.majors.includes(8)).map((mirror) => mirror.id),
    );
    expect(first.rows).toHaveLength(5);
    expect(first.nextAfter).toBe(first.rows[4].name);
    const second = await ask(`major=8&pageSize=5&after=${encodeURIComponent(first.nextAfter!)}`);
    const names = [...first.rows, ...second.rows].map((row) => row.name);
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(names.length);

    for (const row of [...first.rows, ...second.rows]) {
      const packages = await db.package.findMany({ where: { name: row.name, major: 8 }, include: { advisory: true, verdicts: true } });
      const newest = packages.reduce((best, pkg) =>
        pkg.advisory.issuedAt > best.advisory.issuedAt ||
        (pkg.advisory.issuedAt.getTime() === best.advisory.issuedAt.getTime() && pkg.advisoryId > best.advisoryId)
          ? pkg
          : best,
      );
      expect(row.newest.advisoryId).toBe(newest.advisoryId);
      // Hidden by default: a package every mirror marks n/a.
      expect(packages.some((pkg) => pkg.verdicts.some((verdict) => verdict.status !== "not_applicable"))).toBe(true);
      for (const cell of row.cells) {
        expect(cell.verdict).toBe(newest.verdicts.find((verdict) => verdict.mirrorId === cell.mirrorId)?.status ?? null);
        const builds = await db.evidence.findMany({ where: { mirrorId: cell.mirrorId, name: row.name, major: 8 } });
        expect(cell.newestFound === null, `${row.name} on ${cell.mirrorId}`).toBe(builds.length === 0);
        if (cell.newestFound) {
          const found = parseNevra(cell.newestFound.nevra)!;
          for (const build of builds) expect(compareEvr(build, { ...found, epoch: build.epoch })).toBeLessThanOrEqual(0);
        }
      }
    }

    const named = await ask(`major=8&q=${encodeURIComponent(first.rows[0].name)}&notApplicable=show`);
    expect(named.rows.map((row) => row.name)).toContain(first.rows[0].name);
    expect(named.rows.every((row) => row.name.includes(first.rows[0].name))).toBe(true);
    await getJson(listPackageGridRoute(new Request(`${BASE}/packages?q=%3Cscript%3E`)), 400);
  });

  it("answers a bad CSV query with the JSON error, not a file", async () => {
    const body = (await getJson(getMissingCsvRoute(new Request(`${BASE}/reports/missing.csv?page=2`)), 400)) as { error: { code: string } };
    expect(body.error.code).toBe("bad_request");
  });

  it("shows one package's advisories across majors with a verdict per mirror", async () => {
    const pkg = await harness.database.db.package.findFirstOrThrow({ where: { major: 8 }, orderBy: { id: "asc" } });
    const history = PackageHistoryResponse.parse(
      await getJson(getPackageRoute(new Request(`${BASE}/packages/${pkg.name}`), { params: Promise.resolve({ name: pkg.name }) })),
    );
    const advisoryCount = new Set((await harness.database.db.package.findMany({ where: { name: pkg.name } })).map((row) => row.advisoryId))
      .size;
    expect(history.name).toBe(pkg.name);
    expect(history.advisories).toHaveLength(advisoryCount);
    expect(history.advisories.map((entry) => entry.advisoryId)).toContain(pkg.advisoryId);
    expect(
      history.advisories.flatMap((entry) => entry.builds).every((build) => build.verdicts.length === harness.config.mirrors.length),
    ).toBe(true);
    const dates = history.advisories.map((entry) => entry.issuedAt);
    expect(dates).toEqual([...dates].sort().reverse());
    await getJson(
      getPackageRoute(new Request(`${BASE}/packages/no-such-package`), { params: Promise.resolve({ name: "no-such-package" }) }),
      404,
    );
  });

  it("finds an advisory by id in every spelling, by CVE in any case, and a package by name and by NEVRA", async () => {
    const withCve = await harness.database.db.advisory.findFirstOrThrow({ where: { cves: { not: "" } }, orderBy: { id: "asc" } });
    const [prefix, number] = withCve.id.split("-");
    const ask = async (q: string) =>
      SearchResponse.parse(await getJson(searchRoute(new Request(`${BASE}/search?q=${encodeURIComponent(q)}`))));

    for (const spelling of [withCve.id, `${prefix.toLowerCase()}-${number.replace(":", "_")}`]) {
      expect((await ask(spelling)).exactAdvisoryId).toBe(withCve.id);
    }
    expect((await ask(number)).advisories.map((hit) => hit.id)).toContain(withCve.id);

    const cve = withCve.cves.split(" ")[0];
    const byCve = await ask(cve.toLowerCase());
    expect(byCve.matchKind).toBe("cve");
    expect(byCve.advisories.map((hit) => hit.id)).toContain(withCve.id);
    expect(byCve.advisories.every((hit) => hit.cves.includes(cve))).toBe(true);

    const pkg = await harness.database.db.package.findFirstOrThrow({ where: { advisoryId: withCve.id } });
    expect((await ask(pkg.name)).packages[0].name).toBe(pkg.name);
    const byNevra = await ask(`${pkg.name}-${pkg.version}-${pkg.release}.src.rpm`);
    expect(byNevra.matchKind).toBe("nevra");
    expect(byNevra.nevras.map((hit) => hit.advisoryId)).toContain(withCve.id);

    const nothing = await ask("RHSA-1999:0001");
    expect(nothing).toMatchObject({ advisories: [], exactAdvisoryId: null });
    await getJson(searchRoute(new Request(`${BASE}/search`)), 400);
  });
});
