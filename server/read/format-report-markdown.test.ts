import { describe, expect, it } from "vitest";
import type { MissingReportRow } from "../../contract/missing-report-dto";
import { OPENSSL_ROW } from "../../test/support/missing-report-rows";
import { escapeMarkdownCell, formatMissingReportMarkdown, generateMissingReportMarkdown } from "./format-report-markdown";

const CONTEXT = {
  title: "Delayed or missing updates on git.centos.org for RHEL 8",
  now: new Date("2023-06-29T08:00:00Z"),
  reportUrl: "https://srcwatch.example.org/reports/missing?mirror=git.centos.org&major=8",
  origin: "https://srcwatch.example.org",
};

const ROW: MissingReportRow = {
  ...OPENSSL_ROW,
  ageSeconds: 9 * 86_400,
  packages: ["openssl-1:1.1.1k-9.el8_7", "openssl-libs-1:1.1.1k-9.el8_7"],
  checks: [
    {
      package: "openssl-1:1.1.1k-9.el8_7",
      name: "openssl",
      major: 8,
      expected: "tag imports/c8/openssl-1.1.1k-9.el8_7",
      checkedUrl: "https://git.centos.org/rpms/openssl.git",
      lastCheckedAt: "2023-06-29T07:30:00.000Z",
      newestFound: { nevra: "openssl-1.1.1k-7.el8_6", url: "https://git.centos.org/rpms/openssl/c/abc" },
    },
    {
      package: "openssl-libs-1:1.1.1k-9.el8_7",
      name: "openssl-libs",
      major: 8,
      expected: "tag imports/c8/openssl-libs-1.1.1k-9.el8_7",
      checkedUrl: "https://git.centos.org/rpms/openssl-libs.git",
      lastCheckedAt: null,
      newestFound: null,
    },
  ],
  availableFrom: [
    {
      mirrorId: "oracle-srpms",
      mirrorName: "Oracle Linux SRPMs",
      relation: "exact",
      publishedPackages: 2,
      evidenceUrl: "https://oss.oracle.com/ol8/SRPMS-updates/openssl-1.1.1k-9.el8_7.src.rpm",
      lagSeconds: 3600,
      lagTimeOrigin: "index_date",
      lagPrecisionSeconds: null,
    },
  ],
};

describe("formatMissingReportMarkdown", () => {
  it("writes a heading, the table and one line per package with the expected tag, the repository, the newest build and the other mirrors", () => {
    expect(formatMissingReportMarkdown([ROW], CONTEXT)).toBe(
      [
        "### Delayed or missing updates on git.centos.org for RHEL 8",
        "",
        `As of 2023-06-29 08:00 UTC, from [srcwatch](${CONTEXT.reportUrl}).`,
        "",
        "| Advisory | Severity | Released | Mirror | Status | Package | Expected there | Newest found there | Last checked | Already on |",
        "|---|---|---|---|---|---|---|---|---|---|",
        "| [RHSA-2023:3722](https://srcwatch.example.org/advisories/RHSA-2023%3A3722) | Important | 2023-06-20 | git.centos.org | missing | " +
          "`openssl-1:1.1.1k-9.el8_7` | `imports/c8/openssl-1.1.1k-9.el8_7` (tag) in [git.centos.org/rpms/openssl.git](https://git.centos.org/rpms/openssl.git) | " +
          "`openssl-1.1.1k-7.el8_6` | 2023-06-29 07:30 UTC | [Oracle Linux SRPMs](https://oss.oracle.com/ol8/SRPMS-updates/openssl-1.1.1k-9.el8_7.src.rpm) |",
        "| [RHSA-2023:3722](https://srcwatch.example.org/advisories/RHSA-2023%3A3722) | Important | 2023-06-20 | git.centos.org | missing | " +
          "`openssl-libs-1:1.1.1k-9.el8_7` | `imports/c8/openssl-libs-1.1.1k-9.el8_7` (tag) in [git.centos.org/rpms/openssl-libs.git](https://git.centos.org/rpms/openssl-libs.git) | " +
          "none | never | [Oracle Linux SRPMs](https://oss.oracle.com/ol8/SRPMS-updates/openssl-1.1.1k-9.el8_7.src.rpm) |",
        "",
        "1 update (advisory × mirror).",
        "",
      ].join("\n"),
    );
  });

  it("keeps hostile text inside its cell: no extra cells, no links, no HTML", () => {
    const hostile: MissingReportRow = {
      ...ROW,
      mirrorName: "evil | <img src=x> [x](javascript:alert(1))",
      checks: [{ ...ROW.checks[0], package: "a`|b", newestFound: { nevra: "c`d|e", url: null } }],
      availableFrom: [{ ...ROW.availableFrom[0], mirrorName: "x](javascript:alert(1))", evidenceUrl: "javascript:alert(1)" }],
    };
    const line = formatMissingReportMarkdown([hostile], CONTEXT)
      .split("\n")
      .find((candidate) => candidate.startsWith("| ["))!;
    expect(line.split(/(?<!\\)\|/).length - 2).toBe(10);
    // Escaped, the brackets and the angle bracket are text: no link and no tag survive.
    expect(line).not.toMatch(/(?<!\\)\]\(javascript:/);
    expect(line).not.toMatch(/(?<!\\)<img/);
    expect(line).toContain("evil \\| \\<img src=x\\> \\[x\\](javascript:alert(1))");
    expect(escapeMarkdownCell("a|b\nc")).toBe("a\\|b c");
  });

  it("says so when nothing is missing, and streams the same bytes a batch at a time", async () => {
    expect(formatMissingReportMarkdown([], CONTEXT)).toContain("\nNothing is delayed or missing in this scope.\n");
    async function* batches() {
      yield [ROW];
      yield [];
      yield [{ ...ROW, advisoryId: "RHSA-2023:3800" }];
    }
    const parts: string[] = [];
    const generator = generateMissingReportMarkdown(batches(), CONTEXT);
    let next = await generator.next();
    for (; !next.done; next = await generator.next()) parts.push(next.value);
    expect(next.value).toEqual({ rowCount: 2 });
    expect(parts.join("")).toBe(formatMissingReportMarkdown([ROW, { ...ROW, advisoryId: "RHSA-2023:3800" }], CONTEXT));
  });
});
