import { SAMPLES_DIR } from "../../test/samples/path";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { csafIdToPath, csafPathToId, parseCsafIndex } from "./parse-csaf-index";

const samplesDir = path.join(SAMPLES_DIR, "redhat-csaf");
const readSample = (file: string) => readFileSync(path.join(samplesDir, file), "utf8");
const asPlain = (rows: Array<{ path: string; changedAt: Date }>) => rows.map((row) => [row.path, row.changedAt.toISOString()]);

describe("parseCsafIndex on the real files", () => {
  it("reads the vuls changes.csv excerpt, which has no trailing newline", () => {
    const result = parseCsafIndex(readSample("changes.vuls-excerpt.csv"));
    expect(result.ok && asPlain(result.rows)).toEqual([
      ["2023/rhsa-2023_7464.json", "2024-08-15T11:45:05.000Z"],
      ["2023/rhsa-2023_7435.json", "2024-08-11T08:04:44.000Z"],
      ["2011/rhsa-2011_1803.json", "2024-04-21T02:19:38.000Z"],
    ]);
  });

  it("reads the vunnel changes.csv, which ends with a blank line", () => {
    const result = parseCsafIndex(readSample("changes.vunnel-excerpt.csv"));
    expect(result.ok && result.rows.map((row) => row.path)).toEqual([
      "2024/rhsa-2024_0010.json",
      "2024/rhsa-2024_11255.json",
      "2024/rhsa-2024_4444.json",
      "2024/rhsa-2024_5555.json",
      "2024/rhsa-2024_6666.json",
    ]);
  });

  it("reads the vunnel deletions.csv, including an RHEA row", () => {
    const result = parseCsafIndex(readSample("deletions.vunnel-excerpt.csv"));
    expect(result.ok && asPlain(result.rows)).toEqual([
      ["2024/rhea-2024_5245.json", "2025-02-07T17:44:49.000Z"],
      ["2024/rhsa-2024_2106.json", "2024-12-01T21:27:56.000Z"],
    ]);
  });
});

describe("parseCsafIndex", () => {
  it("tolerates CRLF line ends, a byte-order mark and blank lines", () => {
    const text =
      '\uFEFF"2023/rhsa-2023_7464.json","2024-08-15T11:45:05+00:00"\r\n\r\n"2024/rhba-2024_6202.json","2024-09-01T00:00:00Z"\r\n';
    const result = parseCsafIndex(text);
    expect(result.ok && asPlain(result.rows)).toEqual([
      ["2023/rhsa-2023_7464.json", "2024-08-15T11:45:05.000Z"],
      ["2024/rhba-2024_6202.json", "2024-09-01T00:00:00.000Z"],
    ]);
  });

  it("reads an empty file as no rows", () => {
    expect(parseCsafIndex("")).toEqual({ ok: true, rows: [] });
  });

  it.each([
    ["an HTML error page", "<!DOCTYPE html>\n<html><head><title>Access Denied</title></head></html>\n"],
    ["a row with an impossible date", '"2023/rhsa-2023_7464.json","2024-13-45T11:45:05+00:00"'],
    ["a row without quotes", "2023/rhsa-2023_7464.json,2024-08-15T11:45:05+00:00"],
    ["a row with a path outside the year folders", '"../etc/passwd.json","2024-08-15T11:45:05+00:00"'],
  ])("rejects %s with a parse error naming the line", (_what, text) => {
    const result = parseCsafIndex(text);
    expect(result).toMatchObject({ ok: false, error: { kind: "parse" } });
    expect(!result.ok && result.error.message).toMatch(/^line 1 /);
  });

  it("describes a bad row by its line and length, never quoting it", () => {
    const secret = "internal-token-9f8e7d";
    const result = parseCsafIndex(`"2023/rhsa-2023_7464.json","2024-08-15T11:45:05+00:00"\n${secret}\n`);
    expect(result).toEqual({
      ok: false,
      error: { kind: "parse", message: 'line 2 (21 characters) is not a CSAF index row "<year>/<id>.json","<ISO time>"' },
    });
  });
});

describe("csafPathToId and csafIdToPath", () => {
  it.each([
    ["2023/rhsa-2023_7464.json", "RHSA-2023:7464"],
    ["2024/rhba-2024_6202.json", "RHBA-2024:6202"],
    ["2024/rhea-2024_5245.json", "RHEA-2024:5245"],
    ["2025/rhsa-2025_23414.json", "RHSA-2025:23414"],
  ])("maps %s to %s and back", (csafPath, id) => {
    expect(csafPathToId(csafPath)).toBe(id);
    expect(csafIdToPath(id)).toBe(csafPath);
  });

  it.each(["rhsa-2023_7464.json", "2023/rhsa-2023_7464", "2022/rhsa-2023_7464.json", "2023/RHSA-2023:7464.json"])(
    "finds no id in %s",
    (csafPath) => {
      expect(csafPathToId(csafPath)).toBeNull();
    },
  );

  it.each(["rhsa-2023:7464", "RHSA-2023-7464", "RHSA:2023:7464"])("finds no path for %s", (id) => {
    expect(csafIdToPath(id)).toBeNull();
  });
});
