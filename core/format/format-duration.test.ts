import { describe, expect, it } from "vitest";
import { formatDuration } from "./format-duration";

const HOUR = 3600;

describe("formatDuration", () => {
  it.each([
    [0, "0 s"],
    [59, "59 s"],
    [60, "1 min"],
    [45 * 60, "45 min"],
    [3590, "59 min"],
    [90 * 60, "1 h 30 min"],
    [3 * HOUR + 20 * 60, "3 h"],
    [5 * HOUR, "5 h"],
    [24 * HOUR, "1 d"],
    [31 * HOUR, "1 d 7 h"],
    [71 * HOUR, "2 d 23 h"],
    [2 * 86400 + 3 * HOUR + 59 * 60, "2 d 3 h"],
    [-5, "0 s"],
  ])("formats %i seconds as %s", (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });

  it.each([
    [0.85, "850 ms"],
    [12.4, "12.4 s"],
    [180, "3 min"],
  ])("formats a short operation of %d s finer below a minute: %s", (seconds, expected) => {
    expect(formatDuration(seconds, { isSubMinutePrecise: true })).toBe(expected);
  });

  it("says the same for a lag in hours on a page, a badge, a mail and a feed", () => {
    expect(formatDuration(9.5 * HOUR)).toBe("9 h");
    expect(formatDuration(2.5 * HOUR)).toBe("2 h 30 min");
    expect(formatDuration(170 * HOUR)).toBe("7 d 2 h");
  });
});
