import { describe, expect, it } from "vitest";
import { formatAgeDays, formatLagHours } from "./format-report-numbers";

describe("the report's numeric columns", () => {
  it.each([
    [0, "0.0"],
    [9 * 86_400 + 43_200, "9.5"],
    [86_400 / 3, "0.3"],
  ])("writes an age of %i s as %s days", (seconds, expected) => {
    expect(formatAgeDays(seconds)).toBe(expected);
  });

  it("writes a lag in hours with one decimal, and no lag as empty, never 0", () => {
    expect(formatLagHours(6 * 3600 + 1800)).toBe("6.5");
    expect(formatLagHours(0)).toBe("0.0");
    expect(formatLagHours(null)).toBe("");
  });
});
