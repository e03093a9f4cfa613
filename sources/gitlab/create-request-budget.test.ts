import { describe, expect, it } from "vitest";
import { createRequestBudget } from "./create-request-budget";

function createFakeTime() {
  const time = { nowMs: 0, startedAt: [] as number[] };
  const budget = (requestsPerMinute: number) =>
    createRequestBudget({
      requestsPerMinute,
      now: () => time.nowMs,
      sleep: async (ms) => {
        time.nowMs = Math.max(time.nowMs, time.nowMs + ms);
      },
    });
  return { time, budget };
}

describe("createRequestBudget", () => {
  it("lets the first requests of a minute through at once and holds the next until a minute after the oldest", async () => {
    const { time, budget } = createFakeTime();
    const limit = budget(2);
    for (let index = 0; index < 5; index++) {
      await limit.take();
      time.startedAt.push(time.nowMs);
      time.nowMs += 1_000;
    }

    expect(time.startedAt).toEqual([0, 1_000, 60_000, 61_000, 120_000]);
  });

  it("spreads concurrent callers over the following minutes, three per minute", async () => {
    const startTimes: number[] = [];
    const limit = createRequestBudget({
      requestsPerMinute: 3,
      now: () => 0,
      sleep: async (ms) => {
        startTimes.push(ms);
      },
    });

    await Promise.all(Array.from({ length: 10 }, () => limit.take()));

    expect(startTimes).toEqual([60_000, 60_000, 60_000, 120_000, 120_000, 120_000, 180_000]);
  });
});
