import { describe, expect, it } from "vitest";
import {
  combinePublishedLags,
  combineStatusReasons,
  findLagPrecisionSeconds,
  readLagTimeOrigin,
  readPublicationTimeOrigin,
  readStatusReason,
  type StoredLag,
} from "./read-verdict-times";

describe("readPublicationTimeOrigin", () => {
  it.each([
    ["index_date", "index_date"],
    ["first_seen", null],
    ["sundial", null],
    [null, null],
  ] as const)("reads the stored %s as %s", (stored, expected) => {
    expect(readPublicationTimeOrigin(stored)).toBe(expected);
  });
});

describe("readLagTimeOrigin and readStatusReason", () => {
  it.each([
    ["tagger_date", "tagger_date"],
    ["mirror", "mirror"],
    ["first_seen", "first_seen"],
    ["before_tracking", "before_tracking"],
    ["sundial", null],
    [null, null],
  ] as const)("reads the stored lag time origin %s as %s", (stored, expected) => {
    expect(readLagTimeOrigin(stored)).toBe(expected);
  });

  it.each([
    ["stale", "stale"],
    ["not_checked", "not_checked"],
    ["before_tracked_from", "before_tracked_from"],
    ["not_carried", "not_carried"],
    ["bored", null],
    [null, null],
  ] as const)("reads the stored status reason %s as %s", (stored, expected) => {
    expect(readStatusReason(stored)).toBe(expected);
  });
});

describe("findLagPrecisionSeconds", () => {
  const build = { firstSeenAt: new Date("2024-01-20T05:00:00Z"), lastAbsentAt: new Date("2024-01-20T04:30:00Z") };

  it("is the window between the poll that did not find the build and the one that did, for a first_seen lag", () => {
    expect(findLagPrecisionSeconds("first_seen", build)).toBe(1800);
  });

  it.each(["tagger_date", "before_tracking", null] as const)("has none for a %s lag", (origin) => {
    expect(findLagPrecisionSeconds(origin, build)).toBeNull();
  });

  it("has none without a poll before (a first_seen lag stored by an older version)", () => {
    expect(findLagPrecisionSeconds("first_seen", { ...build, lastAbsentAt: null })).toBeNull();
  });
});

describe("combinePublishedLags", () => {
  const exact = (hours: number): StoredLag => ({ lagSeconds: hours * 3600, lagTimeOrigin: "tagger_date", lagPrecisionSeconds: null });
  const bound = (hours: number): StoredLag => ({ lagSeconds: hours * 3600, lagTimeOrigin: "first_seen", lagPrecisionSeconds: 1800 });
  const beforeTracking: StoredLag = { lagSeconds: null, lagTimeOrigin: "before_tracking", lagPrecisionSeconds: null };

  it("is the slowest package's lag, with its origin and precision", () => {
    expect(combinePublishedLags([exact(2), bound(5), exact(3)])).toEqual(bound(5));
  });

  it("prefers an exact time to an upper bound of the same length", () => {
    expect(combinePublishedLags([bound(5), exact(5)])).toEqual(exact(5));
  });

  it("has no lag, never 0, as soon as one package was published before tracking", () => {
    expect(combinePublishedLags([exact(2), beforeTracking])).toEqual(beforeTracking);
  });

  it("is nothing when no package is published", () => {
    expect(combinePublishedLags([])).toBeNull();
  });
});

describe("combineStatusReasons", () => {
  it("says stale before not checked for unknown packages", () => {
    const verdicts = [
      { status: "unknown", statusReason: "not_checked" as const },
      { status: "unknown", statusReason: "stale" as const },
      { status: "published", statusReason: null },
    ];
    expect(combineStatusReasons("unknown", verdicts)).toBe("stale");
    expect(combineStatusReasons("unknown", verdicts.slice(0, 1))).toBe("not_checked");
  });

  it("says a mirror began later before it does not carry the major", () => {
    expect(
      combineStatusReasons("not_applicable", [
        { status: "not_applicable", statusReason: "not_carried" },
        { status: "not_applicable", statusReason: "before_tracked_from" },
      ]),
    ).toBe("before_tracked_from");
  });

  it("has no reason for a status that needs none", () => {
    expect(combineStatusReasons("missing", [{ status: "missing", statusReason: null }])).toBeNull();
  });
});
