import { describe, expect, it } from "vitest";
import type { VerdictStatus } from "./types";
import { worstVerdict } from "./worst-verdict";

describe("worstVerdict", () => {
  it.each<[VerdictStatus[], VerdictStatus]>([
    [["published", "missing", "pending"], "missing"],
    [["delayed", "pending", "unknown"], "delayed"],
    [["unknown", "pending"], "pending"],
    [["published", "unknown"], "unknown"],
    [["not_applicable", "published"], "published"],
    [["not_applicable"], "not_applicable"],
    [[], "not_applicable"],
  ])("picks the worst of %j as %s", (statuses, expected) => {
    expect(worstVerdict(statuses)).toBe(expected);
  });
});
