import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { PackageHistoryResponse, PackageVerdictSummary } from "@/server/read/package-history-dto";
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
  return renderToStaticMarkup(createElement(PackageHistoryTable, { history })).replace(/<[^>]+>/g, " ").replaceAll("&#x27;", "'");
}

describe("PackageHistoryTable", () => {
  it("says in plain words where each published lag's time came from, and when the mirror's time was doubted", () => {
    const text = renderWith([
      { mirrorId: "forge", status: "published", lagSeconds: 3600, lagTimeOrigin: "tagger_date", isTimeSuspect: false, evidenceUrl: null },
      { mirrorId: "errata", status: "published", lagSeconds: 7200, lagTimeOrigin: "first_seen", isTimeSuspect: true, evidenceUrl: null },
      { mirrorId: "index", status: "missing", lagSeconds: null, lagTimeOrigin: null, isTimeSuspect: false, evidenceUrl: null },
    ]);
    expect(text).toMatch(/tag date/);
    expect(text).toMatch(/first seen by srcwatch\s*\(mirror's time doubted\)/);
    expect(text.match(/tag date|first seen by srcwatch|source of time unknown/g)).toHaveLength(2);
  });
});
