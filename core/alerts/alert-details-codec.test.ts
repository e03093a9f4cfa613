import { describe, expect, it } from "vitest";
import { StoredJsonError } from "../stored-json";
import { decodeAlertDetails, encodeAlertDetails, safeDecodeAlertDetails } from "./alert-details-codec";
import type { AlertDetails } from "./types";

const details: AlertDetails = {
  mirrorId: "git.centos.org",
  mirrorName: "git.centos.org",
  major: 8,
  items: [
    {
      advisoryId: "RHSA-2023:3722",
      advisoryUrl: "https://access.redhat.com/errata/RHSA-2023:3722",
      severity: "Important",
      title: null,
      issuedAt: "2023-06-10T10:00:00.000Z",
      major: 8,
      packages: [{ name: "openssl", nevra: "openssl-1:1.1.1k-9.el8_7.src", status: "missing", since: "2023-06-13T10:00:00.000Z" }],
      ageHours: 74.5,
    },
  ],
  stop: {
    lastPublishedAt: "2023-06-01T00:00:00.000Z",
    normalLagHours: 31.2,
    normalLagSource: "learned",
    percentile: 95,
    historySize: 40,
    releasedSinceCount: 5,
    overdueSinceCount: 3,
  },
  partialStop: {
    windowSize: 20,
    publishedInWindow: 4,
    baselineSize: 20,
    publishedInBaseline: 19,
    normalLagHours: 31.2,
    stoppedPackages: ["bash"],
    keptPackages: ["curl"],
  },
  stale: { lastSuccessAt: null, staleAfterMinutes: 360, lastErrorKind: "http", lastErrorMessage: "503", consecutiveFailures: 4 },
  added: ["RHSA-2023:3722"],
  removed: [],
};

describe("alert details codec", () => {
  it("reads back exactly what it stored", () => {
    expect(decodeAlertDetails(encodeAlertDetails(details), { table: "Alert", id: 1 })).toEqual(details);
    const minimal: AlertDetails = { mirrorId: "openela", mirrorName: "OpenELA", major: null, items: [] };
    expect(decodeAlertDetails(encodeAlertDetails(minimal), { table: "AlertEvent", id: 2 })).toEqual(minimal);
  });

  it("names the column, the row and the field when a stored row is not an AlertDetails", () => {
    const broken = JSON.stringify({ ...details, items: [{ ...details.items[0], advisoryId: 42 }] });
    expect(() => decodeAlertDetails(broken, { table: "AlertEvent", id: 17 })).toThrowError(StoredJsonError);
    expect(() => decodeAlertDetails(broken, { table: "AlertEvent", id: 17 })).toThrowError(
      /^AlertEvent\.details of row 17: not a valid AlertDetails: items\.0\.advisoryId: /,
    );
    expect(() =>
      decodeAlertDetails(JSON.stringify({ ...details, stop: { ...details.stop, normalLagSource: "guessed" } }), { table: "Alert", id: 3 }),
    ).toThrowError(/Alert\.details of row 3: .*stop\.normalLagSource/);
  });

  it("says when a stored row is not JSON at all", () => {
    expect(() => decodeAlertDetails("{items:", { table: "Alert", id: 9 })).toThrowError(/^Alert\.details of row 9: not valid JSON/);
  });

  it("refuses to store evidence JSON would silently change (a lag that is not a number)", () => {
    expect(() => encodeAlertDetails({ ...details, stop: { ...details.stop!, normalLagHours: Number.NaN } })).toThrowError(
      /Alert\.details: refusing to store .*stop\.normalLagHours/,
    );
  });

  it("reads old or damaged rows for the pages part by part, keeping what still holds", () => {
    const damaged = JSON.stringify({
      mirrorId: "openela",
      items: [details.items[0], { advisoryId: "RHSA-2023:1" }, 7],
      stop: "?",
      partialStop: details.partialStop,
    });
    expect(safeDecodeAlertDetails(damaged)).toEqual({
      mirrorId: "openela",
      mirrorName: "",
      major: null,
      items: [details.items[0]],
      partialStop: details.partialStop,
    });
    expect(safeDecodeAlertDetails(encodeAlertDetails(details))).toEqual(details);
  });

  it("reads unreadable rows for the pages as no evidence", () => {
    for (const text of ["", "not json", "null", "[1,2]", '"text"'])
      expect(safeDecodeAlertDetails(text)).toEqual({ mirrorId: "", mirrorName: "", major: null, items: [] });
  });
});
