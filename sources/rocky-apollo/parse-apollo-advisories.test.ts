import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { samplePath } from "../../test/samples/path";
import { parseApolloAdvisories } from "./parse-apollo-advisories";

const readSample = (file: string) => readFileSync(samplePath("rocky", file));

describe("parseApolloAdvisories", () => {
  it("reads the real v3 page 1: the Rocky 10 advisory with its .src.rpm packages once each", () => {
    const result = parseApolloAdvisories(readSample("apollo-v3-advisories.page1.json"));

    expect(result).toEqual({
      ok: true,
      page: {
        total: 8019,
        page: 1,
        nextLink: "/api/v3/advisories/?size=1&page=2",
        rejected: [],
        advisories: [
          {
            name: "RLSA-2025:21816",
            kind: "Security",
            severity: "Moderate",
            publishedAt: new Date("2025-11-27T09:11:22.820Z"),
            publishedAtMicroseconds: Date.parse("2025-11-27T09:11:22Z") * 1000 + 820_964,
            majors: [10],
            sourcePackages: [
              { name: "delve", epoch: 0, version: "1.25.2", release: "1.el10_1", moduleStream: null },
              { name: "golang", epoch: 0, version: "1.25.3", release: "1.el10_1", moduleStream: null },
            ],
          },
        ],
      },
    });
  });

  it("reads the real last page: a modular Rocky 8 advisory with non-zero epochs and no next link", () => {
    const result = parseApolloAdvisories(readSample("apollo-v3-advisories.page2.json"));

    expect(result).toEqual({
      ok: true,
      page: {
        total: 8019,
        page: 8019,
        nextLink: null,
        rejected: [],
        advisories: [
          {
            name: "RLBA-2019:0973",
            kind: "Bug Fix",
            severity: "None",
            publishedAt: new Date("2019-05-07T03:38:54.000Z"),
            publishedAtMicroseconds: Date.parse("2019-05-07T03:38:54Z") * 1000,
            majors: [8],
            sourcePackages: [
              {
                name: "oci-systemd-hook",
                epoch: 1,
                version: "0.1.15",
                release: "2.git2d0b8a3.module+el8.4.0+557+48ba8b2f",
                moduleStream: "container-tools:1.0",
              },
              {
                name: "oci-umount",
                epoch: 2,
                version: "2.3.4",
                release: "2.git87f9237.module+el8.4.0+557+48ba8b2f",
                moduleStream: "container-tools:1.0",
              },
            ],
          },
        ],
      },
    });
  });

  it("rejects an advisory of the wrong shape and keeps the others", () => {
    const page = JSON.parse(readSample("apollo-v3-advisories.page1.json").toString("utf8"));
    page.advisories.push({ name: "RLSA-2025:1", published_at: "soon", affected_products: [], packages: [] });

    const result = parseApolloAdvisories(JSON.stringify(page));

    expect(result.ok && result.page.advisories.map((advisory) => advisory.name)).toEqual(["RLSA-2025:21816"]);
    expect(result.ok && result.page.rejected).toEqual([{ name: "RLSA-2025:1", message: expect.stringContaining("published_at") }]);
  });

  const malformed: Array<[string, () => string | Buffer, "parse" | "invalid_data", RegExp]> = [
    ["truncated JSON", () => readSample("apollo-v3-advisories.page1.json").subarray(0, 3000), "parse", /not JSON/],
    [
      "an HTML page served with status 200",
      () => "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
      "parse",
      /got HTML/,
    ],
    ["the legacy v2 page", () => readSample("apollo-v2-advisories.page0.legacy.json"), "invalid_data", /not an Apollo v3 advisories page/],
    ["a JSON array", () => "[]", "invalid_data", /not an Apollo v3 advisories page/],
    [
      "advisories none of which has the expected shape",
      () => JSON.stringify({ advisories: [{}], total: 1, page: 1, size: 1, links: {} }),
      "invalid_data",
      /no advisory has the expected shape/,
    ],
  ];

  it.each(malformed)("fails on %s with kind %s and no advisories", (_label, makeBody, kind, message) => {
    const result = parseApolloAdvisories(makeBody());

    expect(result).toEqual({ ok: false, error: { kind, message: expect.stringMatching(message) } });
  });
});
