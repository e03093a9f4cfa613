import { describe, expect, it } from "vitest";
import { formatDuration, formatElapsedMs, formatRelative } from "./format-duration";

describe("formatDuration", () => {
  it.each([
    [0, "0 s"],
    [59, "59 s"],
    [60, "1 min"],
    [45 * 60, "45 min"],
    [90 * 60, "1 h 30 min"],
    [3 * 3600 + 20 * 60, "3 h"],
    [5 * 3600, "5 h"],
    [24 * 3600, "1 d"],
    [2 * 86400 + 3 * 3600 + 59 * 60, "2 d 3 h"],
    [-5, "0 s"],
  ])("formats %i seconds as %s", (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });
});

describe("formatElapsedMs", () => {
  it.each([
    [850, "850 ms"],
    [12_400, "12.4 s"],
    [180_000, "3 min"],
  ])("formats %i ms as %s", (ms, expected) => {
    expect(formatElapsedMs(ms)).toBe(expected);
  });
});

describe("formatRelative", () => {
  const now = "2023-06-14T12:00:00Z";
  it("says how long ago an instant was", () => {
    expect(formatRelative("2023-06-14T09:00:00Z", now)).toBe("3 h ago");
  });
  it("says when a future instant comes", () => {
    expect(formatRelative("2023-06-16T12:00:00Z", now)).toBe("in 2 d");
  });
  it("rounds the last half minute to just now", () => {
    expect(formatRelative("2023-06-14T11:59:45Z", now)).toBe("just now");
  });
});
