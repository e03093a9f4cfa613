import { describe, expect, it } from "vitest";
import { learnNormalLag, type PublishedLag } from "./learn-normal-lag";

const now = new Date("2023-06-20T00:00:00Z");
const policy = { stoppedLagPercentile: 95, stoppedHistoryDays: 90, stoppedMinHistory: 20, stoppedMinLagHours: 6 };
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
const lagsOfHours = (hours: number[], publishedHoursAgo = 24): PublishedLag[] =>
  hours.map((lag) => ({ publishedAt: hoursAgo(publishedHoursAgo), lagSeconds: lag * 3600 }));

describe("learnNormalLag", () => {
  it("learns the configured percentile of the mirror's own lags", () => {
    const lags = lagsOfHours(Array.from({ length: 101 }, (_, index) => index)); // 0..100 h
    expect(learnNormalLag(lags, { now, policy, expectedLagHours: 48 })).toEqual({
      hours: 95,
      source: "learned",
      percentile: 95,
      historySize: 101,
    });
    expect(learnNormalLag(lags, { now, policy: { ...policy, stoppedLagPercentile: 50 }, expectedLagHours: 48 }).hours).toBe(50);
  });

  it("falls back to the configured expected lag with fewer samples than stoppedMinHistory", () => {
    const lags = lagsOfHours(Array.from({ length: 19 }, () => 2));
    expect(learnNormalLag(lags, { now, policy, expectedLagHours: 48 })).toEqual({
      hours: 48,
      source: "configured",
      percentile: 95,
      historySize: 19,
    });
  });

  it("only counts publications within the history window and not after now", () => {
    const old = lagsOfHours(
      Array.from({ length: 30 }, () => 100),
      91 * 24,
    );
    const future = lagsOfHours(
      Array.from({ length: 30 }, () => 100),
      -1,
    );
    const recent = lagsOfHours(Array.from({ length: 20 }, () => 10));
    const result = learnNormalLag([...old, ...future, ...recent], { now, policy, expectedLagHours: 48 });
    expect(result).toMatchObject({ hours: 10, source: "learned", historySize: 20 });
  });

  it("never judges overdue sooner than stoppedMinLagHours, learned or configured", () => {
    expect(learnNormalLag(lagsOfHours(Array.from({ length: 40 }, () => 1)), { now, policy, expectedLagHours: 48 }).hours).toBe(6);
    expect(learnNormalLag([], { now, policy, expectedLagHours: 2 })).toMatchObject({ hours: 6, source: "configured", historySize: 0 });
  });
});
