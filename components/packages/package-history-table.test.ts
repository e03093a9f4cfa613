import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { PackageHistoryResponse, PackageVerdictSummary } from "@/contract/package-history-dto";
import { PackageHistoryTable } from "./package-history-table";

function renderWith(verdicts: PackageVerdictSummary[]): string {
  const history: PackageHistoryResponse = {
    now: "2024-01-25T00:00:00.000Z",
    name: "bash",
    majors: [8],
    mirrors: verdicts.map((verdict) => ({ id: verdict.mirrorId, name: verdict.mirrorId })),
    advisories: [
      {
        advisoryId: "RHSA-2024:0001",
        type: "security",
        severity: "Important",
        title: null,
        issuedAt: "2024-01-20T00:00:00.000Z",
        builds: [{ nevra: "bash-0:4.4.20-5.el8_9", major: 8, stream: "main", minor: null, moduleStream: null, verdicts }],
      },
    ],
  };
  return renderToStaticMarkup(createElement(PackageHistoryTable, { history }))
    .replace(/<[^>]+>/g, " ")
    .replaceAll("&#x27;", "'");
}

describe("PackageHistoryTable", () => {
  const none = {
    statusReason: null,
    lagSeconds: null,
    publishedAt: null,
    lagTimeOrigin: null,
    lagPrecisionSeconds: null,
    firstSeenAt: null,
    isTimeSuspect: false,
    evidenceUrl: null,
  };
  const at = (hours: number) => new Date(Date.parse("2024-01-20T00:00:00.000Z") + hours * 3600_000).toISOString();

  it("says in plain words where each published lag's time came from, and when the mirror's time was doubted", () => {
    const text = renderWith([
      {
        ...none,
        mirrorId: "forge",
        status: "published",
        lagSeconds: 3600,
        publishedAt: at(1),
        lagTimeOrigin: "tagger_date",
        firstSeenAt: at(2),
      },
      {
        ...none,
        mirrorId: "errata",
        status: "published",
        lagSeconds: 7200,
        publishedAt: at(2),
        lagTimeOrigin: "first_seen",
        lagPrecisionSeconds: 1800,
        firstSeenAt: at(2),
        isTimeSuspect: true,
      },
      { ...none, mirrorId: "index", status: "missing" },
    ]);
    expect(text).toMatch(/published\s*·\s*1 h\s*tag date/);
    expect(text).toMatch(/published\s*·\s*≤ 2 h\s*upper bound: first seen by a poll; absent 30 min earlier\s*\(mirror's time doubted\)/);
    expect(text.match(/tag date|upper bound|source of time unknown/g)).toHaveLength(2);
  });

  it("shows a build there at our first look as published before tracking, with no lag", () => {
    const text = renderWith([{ ...none, mirrorId: "yum", status: "published", lagTimeOrigin: "before_tracking", firstSeenAt: at(100) }]);
    expect(text).toMatch(/published\s*·\s*before tracking\s*no lag: there at srcwatch's first look/);
    expect(text).not.toMatch(/\d+ (s|min|h|d)\b/);
  });

  it("tells not checked yet from our stale data, and a mirror that began later from one that does not carry the major", () => {
    const text = renderWith([
      { ...none, mirrorId: "new", status: "unknown", statusReason: "not_checked" },
      { ...none, mirrorId: "down", status: "unknown", statusReason: "stale" },
      { ...none, mirrorId: "late", status: "not_applicable", statusReason: "before_tracked_from" },
      { ...none, mirrorId: "el7", status: "not_applicable", statusReason: "not_carried" },
    ]);
    expect(text).toMatch(/unknown\s*·\s*not checked yet/);
    expect(text).toMatch(/unknown\s*·\s*our data is stale/);
    expect(text).toMatch(/n\/a\s*·\s*before the mirror began/);
    expect(text.match(/n\/a/g)).toHaveLength(2);
  });
});
