import { afterEach, describe, expect, it, vi } from "vitest";
import { createClockFromEnv, getClockEnd, getClockSpeed } from "./clock";
import { resetEnvForTests } from "./env";
import { CONFIRM_TOKEN_TTL_MS, signSubscriptionToken, verifySubscriptionToken } from "./subscriptions/subscription-tokens";

const DAY_MS = 86_400_000;
const SECRET = "a".repeat(64);

function useDemoClock(env: Record<string, string>) {
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  resetEnvForTests();
}

describe("the clock of a demo", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.useRealTimers();
    resetEnvForTests();
  });

  it("runs at its speed and stops at the end of the scenario's data", () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    useDemoClock({
      SRCWATCH_CLOCK_ORIGIN: "2023-06-10T00:00:00Z",
      SRCWATCH_CLOCK_REAL_ORIGIN: "1700000000000",
      SRCWATCH_CLOCK_SPEED: "10800",
      SRCWATCH_CLOCK_END: "2023-10-03T00:00:00Z",
    });
    const clock = createClockFromEnv();
    vi.advanceTimersByTime(8_000);
    expect(clock.now().toISOString()).toBe("2023-06-11T00:00:00.000Z");
    vi.advanceTimersByTime(3_600_000);
    expect(clock.now().toISOString()).toBe("2023-10-03T00:00:00.000Z");
    expect(getClockEnd()?.toISOString()).toBe("2023-10-03T00:00:00.000Z");
    expect(getClockSpeed()).toBe(10800);
  });

  it("keeps a confirmation link alive for 7 days of the person's time, however fast the scenario runs", () => {
    useDemoClock({ SRCWATCH_CLOCK_ORIGIN: "2023-06-10T00:00:00Z", SRCWATCH_CLOCK_SPEED: "10800" });
    const issuedAt = Date.parse("2023-06-12T00:00:00Z");
    const token = signSubscriptionToken(SECRET, { subscriptionId: 1, purpose: "confirm", version: 0, issuedAt });
    // A minute of real time later the scenario is 7.5 days on: still valid.
    expect(verifySubscriptionToken(SECRET, token, "confirm", new Date(issuedAt + 60_000 * 10800))).not.toBeNull();
    // Eight real days later it has expired.
    expect(verifySubscriptionToken(SECRET, token, "confirm", new Date(issuedAt + 8 * DAY_MS * 10800))).toBeNull();
  });

  it("is the wall clock, never stopping, outside a demo: a link expires after 7 days", () => {
    useDemoClock({});
    expect(getClockSpeed()).toBe(1);
    expect(getClockEnd()).toBeNull();
    const issuedAt = Date.parse("2023-06-12T00:00:00Z");
    const token = signSubscriptionToken(SECRET, { subscriptionId: 1, purpose: "confirm", version: 0, issuedAt });
    expect(verifySubscriptionToken(SECRET, token, "confirm", new Date(issuedAt + CONFIRM_TOKEN_TTL_MS - 1000))).not.toBeNull();
    expect(verifySubscriptionToken(SECRET, token, "confirm", new Date(issuedAt + CONFIRM_TOKEN_TTL_MS + 1000))).toBeNull();
  });
});
