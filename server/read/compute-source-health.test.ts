import { describe, expect, it } from "vitest";
import { computeSourceHealth } from "./compute-source-health";

const now = new Date("2023-06-20T12:00:00Z");
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
const state = (overrides: Partial<Parameters<typeof computeSourceHealth>[0] & object> = {}) => ({
  lastSuccessAt: null,
  lastFailureAt: null,
  lastErrorKind: null,
  lastErrorMessage: null,
  consecutiveFailures: 0,
  ...overrides,
});

describe("computeSourceHealth", () => {
  it.each([
    ["never polled without any state", null, "never_polled"],
    ["never polled when nothing was attempted", state(), "never_polled"],
    ["ok after a recent success", state({ lastSuccessAt: hoursAgo(1) }), "ok"],
    ["stale when the last success is older than the limit", state({ lastSuccessAt: hoursAgo(7) }), "stale"],
    [
      "failing when the last attempt failed",
      state({ lastSuccessAt: hoursAgo(1), lastFailureAt: hoursAgo(0), consecutiveFailures: 1, lastErrorKind: "network" }),
      "failing",
    ],
    ["failing when it never succeeded", state({ lastFailureAt: hoursAgo(0), consecutiveFailures: 3, lastErrorKind: "timeout" }), "failing"],
  ] as const)("reports %s", (_name, input, expected) => {
    expect(computeSourceHealth(input, { now, staleAfterMinutes: 360 }).status).toBe(expected);
  });
});
