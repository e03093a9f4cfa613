import { describe, expect, it } from "vitest";
import type { VerdictStatus } from "../types";
import { foldUpdate, type UpdatePackageVerdict } from "./fold-update";
import { nextVerdictChangeAt } from "./next-verdict-change";
import { isOpenVerdict } from "./open-verdict";

const issuedAt = new Date("2023-06-01T00:00:00Z");
const hours = (count: number) => new Date(issuedAt.getTime() + count * 3_600_000);
const verdict = (status: VerdictStatus, extra: Partial<UpdatePackageVerdict> = {}): UpdatePackageVerdict => ({
  status,
  statusReason: null,
  lagSeconds: null,
  publishedAt: null,
  nextChangeAt: null,
  ...extra,
});
const published = (lagHours: number) => verdict("published", { lagSeconds: lagHours * 3600, publishedAt: hours(lagHours) });

describe("foldUpdate", () => {
  it.each([
    [["published", "missing"], "missing"],
    [["pending", "delayed"], "delayed"],
    [["unknown", "pending"], "pending"],
    [["published", "unknown"], "unknown"],
    [["not_applicable", "published"], "published"],
    [["not_applicable"], "not_applicable"],
  ] as [VerdictStatus[], VerdictStatus][])("takes the worst verdict of %j: %s", (statuses, expected) => {
    expect(
      foldUpdate(
        issuedAt,
        statuses.map((status) => verdict(status)),
      ).status,
    ).toBe(expected);
  });

  it.each([
    ["missing", issuedAt],
    ["delayed", issuedAt],
    ["pending", null],
    ["unknown", null],
    ["published", null],
    ["not_applicable", null],
  ] as [VerdictStatus, Date | null][])("carries its release as overdueIssuedAt only when overdue: %s", (status, expected) => {
    expect(foldUpdate(issuedAt, [verdict(status), verdict("not_applicable")]).overdueIssuedAt).toEqual(expected);
  });

  it("is published when the last package arrived, with the slowest package's lag", () => {
    const update = foldUpdate(issuedAt, [published(2), published(30), verdict("not_applicable")]);
    expect(update).toMatchObject({
      status: "published",
      publishedAt: hours(30),
      lagSeconds: 30 * 3600,
      isPublishedBeforeTracking: false,
      packages: 3,
    });
  });

  it("has no lag when a package was there before tracking, and the release stands as a lower bound of its time", () => {
    const update = foldUpdate(issuedAt, [verdict("published"), published(0)]);
    expect(update).toMatchObject({ status: "published", lagSeconds: null, isPublishedBeforeTracking: true, publishedAt: issuedAt });
  });

  it("is unchecked when an unpublished package is unknown, and names why", () => {
    expect(foldUpdate(issuedAt, [published(1), verdict("unknown", { statusReason: "not_checked" })])).toMatchObject({
      status: "unknown",
      statusReason: "not_checked",
      isUnchecked: true,
      publishedAt: null,
      lagSeconds: null,
    });
    expect(
      foldUpdate(issuedAt, [verdict("unknown", { statusReason: "not_checked" }), verdict("unknown", { statusReason: "stale" })])
        .statusReason,
    ).toBe("stale");
    expect(foldUpdate(issuedAt, [verdict("missing"), verdict("unknown", { statusReason: "stale" })])).toMatchObject({
      status: "missing",
      isUnchecked: true,
    });
  });

  it("changes next when its earliest package does", () => {
    const update = foldUpdate(issuedAt, [verdict("pending", { nextChangeAt: hours(48) }), verdict("delayed", { nextChangeAt: hours(24) })]);
    expect(update.nextChangeAt).toEqual(hours(24));
  });
});

describe("nextVerdictChangeAt", () => {
  const mirror = { expectedLagHours: 48, missingAfterHours: 168 };
  it.each([
    ["pending", hours(48)],
    ["delayed", hours(168)],
    ["missing", null],
    ["published", null],
    ["unknown", null],
    ["not_applicable", null],
  ] as [VerdictStatus, Date | null][])("%s changes by time alone at %s", (status, expected) => {
    expect(nextVerdictChangeAt(status, issuedAt, mirror)).toEqual(expected);
  });
});

describe("isOpenVerdict", () => {
  it("is every status but published and not applicable", () => {
    expect(["published", "pending", "delayed", "missing", "unknown", "not_applicable"].filter(isOpenVerdict)).toEqual([
      "pending",
      "delayed",
      "missing",
      "unknown",
    ]);
  });
});
