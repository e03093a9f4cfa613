import { describe, expect, it } from "vitest";
import { computeNextPollDelaySeconds } from "./next-poll-delay";

describe("computeNextPollDelaySeconds", () => {
  it("waits the interval after a poll that worked, and backs off from a minute after failures, capped at the interval", () => {
    expect(computeNextPollDelaySeconds(1800, 0)).toBe(1800);
    expect([1, 2, 3, 4, 5, 6, 7, 40].map((failures) => computeNextPollDelaySeconds(1800, failures))).toEqual([
      60, 120, 240, 480, 960, 1800, 1800, 1800,
    ]);
    expect(computeNextPollDelaySeconds(30, 3)).toBe(30);
  });
});
