import { afterEach, describe, expect, it, vi } from "vitest";
import { createManualClock, createScenarioClock } from "./scenario-clock";

describe("createScenarioClock", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("runs scenario time at `speed` times real time from the real origin", () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    const clock = createScenarioClock({ scenarioOrigin: new Date("2023-06-01T00:00:00Z"), speed: 3600, realOrigin: 1_700_000_000_000 });
    expect(clock.now().toISOString()).toBe("2023-06-01T00:00:00.000Z");
    vi.advanceTimersByTime(1000);
    expect(clock.now().toISOString()).toBe("2023-06-01T01:00:00.000Z");
    vi.advanceTimersByTime(23_000);
    expect(clock.now().toISOString()).toBe("2023-06-02T00:00:00.000Z");
  });

  it("counts from a real origin in the past, as a worker started later computes it", () => {
    vi.useFakeTimers({ now: 1_700_000_010_000 });
    const clock = createScenarioClock({ scenarioOrigin: new Date("2023-06-01T00:00:00Z"), speed: 60, realOrigin: 1_700_000_000_000 });
    expect(clock.now().toISOString()).toBe("2023-06-01T00:10:00.000Z");
  });

  it("defaults the real origin to now and exposes the env vars of the same clock", () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    const clock = createScenarioClock({ scenarioOrigin: new Date("2023-06-01T00:00:00Z"), speed: 2 });
    expect(clock.realOrigin).toBe(1_700_000_000_000);
    expect(clock.env).toEqual({
      SRCWATCH_CLOCK_ORIGIN: "2023-06-01T00:00:00.000Z",
      SRCWATCH_CLOCK_REAL_ORIGIN: "1700000000000",
      SRCWATCH_CLOCK_SPEED: "2",
    });
  });

  it("stops at the end of the scenario's data, and passes the end on to the app's processes", () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    const end = new Date("2023-06-01T02:00:00Z");
    const clock = createScenarioClock({ scenarioOrigin: new Date("2023-06-01T00:00:00Z"), speed: 3600, end });
    vi.advanceTimersByTime(1000);
    expect(clock.now().toISOString()).toBe("2023-06-01T01:00:00.000Z");
    vi.advanceTimersByTime(60_000);
    expect(clock.now().toISOString()).toBe("2023-06-01T02:00:00.000Z");
    expect(clock.env.SRCWATCH_CLOCK_END).toBe("2023-06-01T02:00:00.000Z");
    expect(() => createScenarioClock({ scenarioOrigin: end, speed: 1, end })).toThrow(RangeError);
  });

  it("refuses a speed that is not positive", () => {
    expect(() => createScenarioClock({ scenarioOrigin: new Date(), speed: 0 })).toThrow(RangeError);
    expect(() => createScenarioClock({ scenarioOrigin: new Date(), speed: Number.NaN })).toThrow(RangeError);
  });
});

describe("createManualClock", () => {
  it("stands still until set or advanced", () => {
    const clock = createManualClock(new Date("2023-06-01T00:00:00Z"));
    expect(clock.now().toISOString()).toBe("2023-06-01T00:00:00.000Z");
    clock.advance(90 * 60_000);
    expect(clock.now().toISOString()).toBe("2023-06-01T01:30:00.000Z");
    clock.set(new Date("2023-05-01T00:00:00Z"));
    expect(clock.now().toISOString()).toBe("2023-05-01T00:00:00.000Z");
  });

  it("hands out copies, so callers cannot move it", () => {
    const clock = createManualClock(new Date("2023-06-01T00:00:00Z"));
    clock.now().setUTCFullYear(2030);
    expect(clock.now().toISOString()).toBe("2023-06-01T00:00:00.000Z");
  });
});
