import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { median, percentile } from "./lag-stats";

describe("median", () => {
  it.each([
    [[5], 5],
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[3600, 7200, 360000, 0, 90], 3600],
    [[-10, 10], 0],
  ])("takes the median of %j as %d", (numbers, expected) => {
    expect(median(numbers)).toBe(expected);
  });

  it("does not reorder the caller's list", () => {
    const lags = [3, 1, 2];
    median(lags);
    expect(lags).toEqual([3, 1, 2]);
  });

  it("refuses an empty list", () => {
    expect(() => median([])).toThrow(RangeError);
  });
});

describe("percentile", () => {
  const lags = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];

  it.each([
    [0, 10],
    [100, 100],
    [50, 55],
    [90, 91],
    [25, 32.5],
  ])("takes the p%d of ten lags as %d", (p, expected) => {
    expect(percentile(lags, p)).toBeCloseTo(expected, 10);
  });

  it("returns the only value for any p", () => {
    expect(percentile([42], 90)).toBe(42);
  });

  it.each([-1, 101, Number.NaN])("refuses p = %d", (p) => {
    expect(() => percentile(lags, p)).toThrow(RangeError);
  });

  it("refuses non-finite values", () => {
    expect(() => percentile([1, Number.POSITIVE_INFINITY], 50)).toThrow(RangeError);
  });

  it("stays within the range of the values and grows with p", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1e6, max: 1e6 }), { minLength: 1, maxLength: 50 }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (values, p, q) => {
          const low = Math.min(p, q);
          const high = Math.max(p, q);
          const atLow = percentile(values, low);
          return (
            atLow >= Math.min(...values) && percentile(values, high) <= Math.max(...values) && atLow <= percentile(values, high) + 1e-9
          );
        },
      ),
    );
  });
});
