import { describe, expect, it } from "vitest";
import { findLagTimeOrigin, readPublicationTimeOrigin } from "./find-lag-time-origin";

describe("findLagTimeOrigin", () => {
  const tagged = { publishedAt: new Date("2023-06-01T00:00:00Z"), publishedAtOrigin: "tagger_date" };
  const cases: Array<[string, { status: string; isTimeSuspect: boolean }, Parameters<typeof findLagTimeOrigin>[1], ReturnType<typeof findLagTimeOrigin>]> = [
    ["names the mirror's origin of a believed time", { status: "published", isTimeSuspect: false }, tagged, "tagger_date"],
    ["names our first sight when the mirror gives no time", { status: "published", isTimeSuspect: false }, { publishedAt: null, publishedAtOrigin: null }, "first_seen"],
    ["names our first sight when the mirror's time was not believed", { status: "published", isTimeSuspect: true }, tagged, "first_seen"],
    ["leaves unknown a time stored before origins were kept", { status: "published", isTimeSuspect: false }, { ...tagged, publishedAtOrigin: null }, null],
    ["has no origin before the update is published", { status: "missing", isTimeSuspect: false }, tagged, null],
    ["has no origin without a build", { status: "published", isTimeSuspect: false }, null, null],
  ];

  it.each(cases)("%s", (_behaviour, verdict, lagBuild, expected) => {
    expect(findLagTimeOrigin(verdict, lagBuild)).toBe(expected);
  });
});

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
