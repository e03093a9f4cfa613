import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { EvidenceDto, PackageVerdictDto } from "@/server/read/dto";
import { LagCell, PublishedCell } from "./advisory-packages";

const textOf = (html: string) => html.replace(/<[^>]+>/g, " ").replaceAll("&#x27;", "'").replace(/\s+/g, " ").trim();

const exact: EvidenceDto = {
  kind: "tag",
  nevra: "firefox-115.7.0-1.el8_9",
  ref: "refs/tags/imports/c8/firefox-115.7.0-1.el8_9",
  url: null,
  commitSha: null,
  firstSeenAt: "2024-01-21T00:00:00.000Z",
  publishedAt: "2024-01-20T12:00:00.000Z",
  publishedAtOrigin: "tagger_date",
};

function verdict(overrides: Partial<PackageVerdictDto>): PackageVerdictDto {
  return {
    mirrorId: "openela", mirrorName: "OpenELA", mirrorRelation: "exact", status: "published", lagSeconds: 6 * 3600, lagTimeOrigin: "tagger_date",
    isTimeSuspect: false, since: "2024-01-21T00:00:00.000Z", match: { outcome: "exact", reason: "Same build." }, evidence: exact, lagEvidence: null, ...overrides,
  };
}

describe("LagCell", () => {
  it.each([
    ["names the tag date a lag is measured to", verdict({}), /^6h?.* tag date$/],
    ["names our first sight and doubts the mirror's time", verdict({ lagTimeOrigin: "first_seen", isTimeSuspect: true }), /first seen by srcwatch mirror's time doubted$/],
    [
      "names the earlier build the lag is measured to when it is not the evidence",
      verdict({ lagTimeOrigin: "commit_date", lagEvidence: { ...exact, nevra: "firefox-115.10.0-1.el8_9", publishedAtOrigin: "commit_date" } }),
      /commit date of firefox-115\.10\.0-1\.el8_9$/,
    ],
    ["shows a dash before the update is published", verdict({ status: "missing", lagSeconds: null, lagTimeOrigin: null }), /^—$/],
  ] as const)("%s", (_behaviour, input, expected) => {
    expect(textOf(renderToStaticMarkup(createElement(LagCell, { verdict: input })))).toMatch(expected);
  });
});

describe("PublishedCell", () => {
  it.each([
    ["index_date", "index date"],
    ["erratum_date", "erratum date"],
    ["forge_api", "forge API"],
    [null, "source of time unknown"],
  ] as const)("says a published time read as %s is the %s", (origin, words) => {
    expect(textOf(renderToStaticMarkup(createElement(PublishedCell, { evidence: { ...exact, publishedAtOrigin: origin } })))).toMatch(new RegExp(`${words}$`));
  });
});
