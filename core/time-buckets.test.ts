import { describe, expect, it } from "vitest";
import { floorToBucket, listBuckets } from "./time-buckets";

describe("floorToBucket", () => {
  it.each([
    ["hour", "2023-06-14T10:22:05Z", "2023-06-14T10:00:00.000Z"],
    ["day", "2023-06-14T10:22:05Z", "2023-06-14T00:00:00.000Z"],
    ["week", "2023-06-14T10:22:05Z", "2023-06-12T00:00:00.000Z"],
    ["week", "2023-06-12T00:00:00Z", "2023-06-12T00:00:00.000Z"],
    ["week", "2023-06-11T23:59:59Z", "2023-06-05T00:00:00.000Z"],
    ["month", "2023-06-14T10:22:05Z", "2023-06-01T00:00:00.000Z"],
  ] as const)("floors to the %s: %s → %s", (unit, at, expected) => {
    expect(floorToBucket(new Date(at), unit).toISOString()).toBe(expected);
  });
});

describe("listBuckets", () => {
  it("covers both ends with whole weeks starting on Monday", () => {
    const buckets = listBuckets(new Date("2023-06-01T05:00:00Z"), new Date("2023-06-14T00:00:00Z"), "week");
    expect(buckets.map((bucket) => bucket.startAt.toISOString().slice(0, 10))).toEqual(["2023-05-29", "2023-06-05", "2023-06-12"]);
    expect(buckets.at(-1)!.endAt.toISOString().slice(0, 10)).toBe("2023-06-19");
  });

  it("steps months of unequal length", () => {
    const buckets = listBuckets(new Date("2023-01-31T00:00:00Z"), new Date("2023-03-01T00:00:00Z"), "month");
    expect(buckets.map((bucket) => bucket.startAt.toISOString().slice(0, 7))).toEqual(["2023-01", "2023-02", "2023-03"]);
  });

  it("is empty when the range is reversed", () => {
    expect(listBuckets(new Date("2023-06-02T00:00:00Z"), new Date("2023-06-01T00:00:00Z"), "day")).toEqual([]);
  });
});
