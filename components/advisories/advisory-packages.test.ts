import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { EvidenceDto, PackageVerdictDto } from "@/contract/verdict-dto";
import { FirstSeenCell, LagCell, PublishedCell } from "./advisory-packages";

const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replaceAll("&#x27;", "'")
    .replace(/\s+/g, " ")
    .trim();

const exact: EvidenceDto = {
  kind: "tag",
  nevra: "firefox-115.7.0-1.el8_9",
  ref: "refs/tags/imports/c8/firefox-115.7.0-1.el8_9",
  url: null,
  commitSha: null,
  firstSeenAt: "2024-01-21T00:00:00.000Z",
  lastAbsentAt: "2024-01-20T23:30:00.000Z",
  publishedAt: "2024-01-20T12:00:00.000Z",
  publishedAtOrigin: "tagger_date",
};

function verdict(overrides: Partial<PackageVerdictDto>): PackageVerdictDto {
  return {
    mirrorId: "openela",
    mirrorName: "OpenELA",
    mirrorRelation: "exact",
    status: "published",
    statusReason: null,
    lagSeconds: 12 * 3600,
    publishedAt: "2024-01-20T12:00:00.000Z",
    lagTimeOrigin: "tagger_date",
    lagPrecisionSeconds: null,
    isTimeSuspect: false,
    since: "2024-01-21T00:00:00.000Z",
    match: { outcome: "exact", reason: "Same build." },
    evidence: exact,
    lagEvidence: null,
    ...overrides,
  };
}

describe("LagCell", () => {
  it.each([
    ["names the tag date a lag is measured to", verdict({}), /^12 h tag date$/],
    [
      "shows our first sight as an upper bound with its precision, and doubts the mirror's time",
      verdict({
        lagSeconds: 24 * 3600,
        publishedAt: exact.firstSeenAt,
        lagTimeOrigin: "first_seen",
        lagPrecisionSeconds: 1800,
        isTimeSuspect: true,
      }),
      /^≤ 1 d upper bound: first seen by a poll; absent 30 min earlier mirror's time doubted$/,
    ],
    [
      "says a build there at our first look was published before tracking, with no lag",
      verdict({
        lagSeconds: null,
        publishedAt: null,
        lagTimeOrigin: "before_tracking",
        evidence: { ...exact, lastAbsentAt: null, publishedAt: null, publishedAtOrigin: null },
      }),
      /^published before tracking no lag: there at srcwatch's first look$/,
    ],
    [
      "names the earlier build the lag is measured to when it is not the evidence",
      verdict({
        lagTimeOrigin: "commit_date",
        lagEvidence: { ...exact, nevra: "firefox-115.10.0-1.el8_9", publishedAtOrigin: "commit_date" },
      }),
      /commit date of firefox-115\.10\.0-1\.el8_9$/,
    ],
    [
      "shows a dash before the update is published",
      verdict({ status: "missing", lagSeconds: null, publishedAt: null, lagTimeOrigin: null }),
      /^—$/,
    ],
  ] as const)("%s", (_behaviour, input, expected) => {
    expect(textOf(renderToStaticMarkup(createElement(LagCell, { verdict: input })))).toMatch(expected);
  });

  it("explains in its tooltip that a build published before tracking was there at our first look and has no time of its own", () => {
    const html = renderToStaticMarkup(
      createElement(LagCell, {
        verdict: verdict({
          lagSeconds: null,
          publishedAt: null,
          lagTimeOrigin: "before_tracking",
          evidence: { ...exact, lastAbsentAt: null },
        }),
      }),
    );
    expect(html.replaceAll("&#x27;", "'")).toMatch(
      /title="Published before tracking: the build was already there when srcwatch first looked at this mirror \(first seen 2024-01-21 00:00 UTC\), and the mirror gives no time of its own\./,
    );
  });
});

describe("FirstSeenCell", () => {
  it("says when the build was absent before it was first seen", () => {
    expect(textOf(renderToStaticMarkup(createElement(FirstSeenCell, { evidence: exact })))).toBe(
      "2024-01-21 00:00 UTC absent at the poll of 2024-01-20 23:30 UTC",
    );
  });

  it("says a build was there at our first look", () => {
    expect(textOf(renderToStaticMarkup(createElement(FirstSeenCell, { evidence: { ...exact, lastAbsentAt: null } })))).toBe(
      "2024-01-21 00:00 UTC there at our first look",
    );
  });
});

describe("PublishedCell", () => {
  it.each([
    ["index_date", "index date"],
    ["erratum_date", "erratum date"],
    ["forge_api", "forge API"],
    [null, "source of time unknown"],
  ] as const)("says a published time read as %s is the %s", (origin, words) => {
    expect(textOf(renderToStaticMarkup(createElement(PublishedCell, { evidence: { ...exact, publishedAtOrigin: origin } })))).toMatch(
      new RegExp(`${words}$`),
    );
  });
});
