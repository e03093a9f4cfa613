import { describe, expect, it } from "vitest";
import {
  formatCsv,
  formatMissingReportCsv,
  generateMissingReportCsv,
  MISSING_REPORT_COLUMNS,
  neutraliseFormula,
} from "./format-report-csv";
import type { MissingReportRow } from "../../contract/missing-report-dto";
import { OPENSSL_ROW } from "../../test/support/missing-report-rows";

const ROW = OPENSSL_ROW;

describe("formatCsv", () => {
  it.each([
    ["=1+1", "'=1+1"],
    ["+cmd", "'+cmd"],
    ["-2", "'-2"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tx", "'\tx"],
    ["\rx", "'\rx"],
    ["bash", "bash"],
    ["", ""],
    ["a=b", "a=b"],
  ])("neutralises a cell starting with a formula trigger: %j → %j", (cell, expected) => {
    expect(neutraliseFormula(cell)).toBe(expected);
  });

  it("quotes cells with commas, quotes and line breaks and ends every line with CRLF", () => {
    expect(
      formatCsv(
        ["a", "b"],
        [
          ["x,y", 'say "hi"'],
          ["line\nbreak", "plain"],
        ],
      ),
    ).toBe('a,b\r\n"x,y","say ""hi"""\r\n"line\nbreak",plain\r\n');
  });

  it("quotes a neutralised cell that also needs quoting", () => {
    expect(formatCsv(["h"], [['=HYPERLINK("http://x","y")']])).toBe('h\r\n"\'=HYPERLINK(""http://x"",""y"")"\r\n');
  });
});

describe("formatMissingReportCsv", () => {
  it("writes a header row and one line per report row, with the table's columns", () => {
    const lines = formatMissingReportCsv([ROW]).split("\r\n");
    expect(lines[0]).toBe(MISSING_REPORT_COLUMNS.map((column) => column.header).join(","));
    expect(lines[1]).toBe(
      "RHSA-2023:3722,2023-06-20 10:00 UTC,9.5,Important,security,git.centos.org,missing,8,openssl-1:1.1.1k-9.el8_7," +
        "tag imports/c8/openssl-1.1.1k-9.el8_7,https://git.centos.org/rpms/openssl.git,2023-06-29 08:00 UTC,openssl-1.1.1k-7.el8_6," +
        "Oracle Linux SRPMs; OpenELA," +
        "6.5; ,index_date; before_tracking,https://oss.oracle.com/a.src.rpm https://github.com/openela-main/openssl/tree/x",
    );
    expect(lines).toHaveLength(3);
  });

  it("writes an empty lag, never 0, for a mirror that had the build before tracking, and names each lag's time origin", () => {
    const beforeTracking = ROW.availableFrom[1];
    const firstSeen = { ...ROW.availableFrom[0], lagSeconds: 7200, lagTimeOrigin: "first_seen" as const, lagPrecisionSeconds: 1800 };
    const [header, line] = formatMissingReportCsv([{ ...ROW, availableFrom: [beforeTracking, firstSeen] }]).split("\r\n");
    const cells = Object.fromEntries(header.split(",").map((name, index) => [name, line.split(",")[index]]));
    expect(cells["Lag there (hours)"]).toBe("; 2.0");
    expect(cells["Lag time origin"]).toBe("before_tracking; first_seen");
  });

  it("writes only the header when nothing is missing", () => {
    expect(formatMissingReportCsv([])).toBe(`${MISSING_REPORT_COLUMNS.map((column) => column.header).join(",")}\r\n`);
  });

  it("neutralises a title-like value an attacker could control", () => {
    const csv = formatMissingReportCsv([{ ...ROW, mirrorName: "=cmd|' /C calc'!A0" }]);
    expect(csv).toContain(",'=cmd|' /C calc'!A0,");
  });
});

describe("generateMissingReportCsv", () => {
  async function* listBatches(batches: MissingReportRow[][]): AsyncGenerator<MissingReportRow[], void, undefined> {
    for (const batch of batches) yield batch;
  }

  async function collect(batches: MissingReportRow[][]): Promise<{ parts: string[]; rowCount: number }> {
    const parts: string[] = [];
    const generator = generateMissingReportCsv(listBatches(batches));
    for (let next = await generator.next(); ; next = await generator.next()) {
      if (next.done) return { parts, rowCount: next.value.rowCount };
      parts.push(next.value);
    }
  }

  it("writes, a part per batch, the same bytes as the whole file and counts its rows", async () => {
    const second = { ...ROW, advisoryId: "RHBA-2023:3800", mirrorName: "=cmd" };
    const { parts, rowCount } = await collect([[ROW], [], [second, ROW]]);
    expect(parts.join("")).toBe(formatMissingReportCsv([ROW, second, ROW]));
    expect(parts).toHaveLength(3);
    expect(rowCount).toBe(3);
  });

  it("writes only the header when there is no batch", async () => {
    expect(await collect([])).toEqual({ parts: [formatMissingReportCsv([])], rowCount: 0 });
  });
});
