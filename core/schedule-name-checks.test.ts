import { describe, expect, it } from "vitest";
import {
  findNameCheckIntervalSeconds,
  isNameCheckDue,
  MAX_NAME_CHECK_INTERVAL_SECONDS,
  scheduleNameChecks,
  type NameCheckCandidate,
} from "./schedule-name-checks";

const HOUR_MS = 3_600_000;
const HOUR_S = 3600;
const MISSING_AFTER_HOURS = 168;
const M_S = MISSING_AFTER_HOURS * HOUR_S;
/** git.centos.org's poll interval: 30 minutes. */
const policy = { pollIntervalSeconds: 1800, missingAfterHours: MISSING_AFTER_HOURS };
const now = new Date("2023-08-20T12:00:00Z");

const ago = (hours: number) => new Date(now.getTime() - hours * HOUR_MS);
const candidate = (overrides: Partial<NameCheckCandidate> = {}): NameCheckCandidate => ({
  name: "bash",
  major: 8,
  newestIssuedAt: ago(90 * 24),
  lastRecordedAt: ago(90 * 24),
  lastCheckedAt: ago(0.25),
  ...overrides,
});

/** Every poll of a mirror polled each `policy.pollIntervalSeconds` from `startAt` for `hours`: the instants it asked. */
function runPolls(subject: Omit<NameCheckCandidate, "lastCheckedAt">, startAt: Date, hours: number, lastCheckedAt: Date): Date[] {
  const asked: Date[] = [];
  let checkedAt = lastCheckedAt;
  for (let atMs = startAt.getTime(); atMs <= startAt.getTime() + hours * HOUR_MS; atMs += policy.pollIntervalSeconds * 1000) {
    const at = new Date(atMs);
    if (isNameCheckDue({ ...subject, lastCheckedAt: checkedAt }, policy, at)) {
      asked.push(at);
      checkedAt = at;
    }
  }
  return asked;
}

const gapsInHours = (instants: Date[]) => instants.slice(1).map((at, index) => (at.getTime() - instants[index].getTime()) / HOUR_MS);

describe("findNameCheckIntervalSeconds", () => {
  it.each([
    ["just released", 0, 1800],
    ["one hour before it is missing", M_S - HOUR_S, 1800],
    ["missing for 59 minutes", M_S + 59 * 60, 1800],
    ["missing for one hour", M_S + HOUR_S, 3600],
    ["missing for two hours", M_S + 2 * HOUR_S, 7200],
    ["missing for 3 h 59 min", M_S + 4 * HOUR_S - 60, 7200],
    ["missing for four hours", M_S + 4 * HOUR_S, 14_400],
    ["missing for 31 hours", M_S + 31 * HOUR_S, 57_600],
    ["missing for 32 hours", M_S + 32 * HOUR_S, 86_400],
    ["missing for three months", M_S + 90 * 24 * HOUR_S, 86_400],
  ])("asks a package %s every %i s at a 30-minute poll interval", (_label, ageSeconds, expected) => {
    expect(findNameCheckIntervalSeconds(ageSeconds, policy)).toBe(expected);
  });

  it("never asks less often than the mirror is polled, nor more often than its interval when that is over a day", () => {
    const daily = { pollIntervalSeconds: 2 * 86_400, missingAfterHours: 72 };

    expect(findNameCheckIntervalSeconds(0, daily)).toBe(2 * 86_400);
    expect(findNameCheckIntervalSeconds(365 * 86_400, daily)).toBe(2 * 86_400);
  });

  it("reaches the daily cap at a six-hour poll interval after one day missing", () => {
    const sixHourly = { pollIntervalSeconds: 6 * HOUR_S, missingAfterHours: MISSING_AFTER_HOURS };

    expect(findNameCheckIntervalSeconds(M_S + 12 * HOUR_S, sixHourly)).toBe(12 * HOUR_S);
    expect(findNameCheckIntervalSeconds(M_S + 24 * HOUR_S, sixHourly)).toBe(MAX_NAME_CHECK_INTERVAL_SECONDS);
  });
});

describe("isNameCheckDue", () => {
  it.each([
    ["a name never asked, however old", { lastCheckedAt: null }, true],
    ["a name with a package recorded after its last check, however old", { lastRecordedAt: ago(0.1) }, true],
    ["a package younger than missingAfterHours, asked a minute ago", { newestIssuedAt: ago(100), lastCheckedAt: ago(1 / 60) }, true],
    ["a package missing for 30 minutes, asked a minute ago", { newestIssuedAt: ago(168.5), lastCheckedAt: ago(1 / 60) }, true],
    ["a package missing for months, asked 15 minutes ago", {}, false],
    ["a package missing for months, recorded before the check", { lastRecordedAt: ago(1) }, false],
    ["a package missing for months, recorded before tracking began (no recordedAt)", { lastRecordedAt: null }, false],
    ["a package missing for months, asked a day ago", { lastCheckedAt: ago(24) }, true],
    ["a package missing for months, asked two days ago", { lastCheckedAt: ago(48) }, true],
  ] as const)("%s: %s", (_label, overrides, expected) => {
    expect(isNameCheckDue(candidate(overrides), policy, now)).toBe(expected);
  });
});

describe("the schedule over time", () => {
  it("asks about a package missing for months once a day, a day apart", () => {
    const asked = runPolls(candidate(), now, 10 * 24, ago(0.5));

    expect(asked).toHaveLength(10);
    for (const gap of gapsInHours(asked)) expect(gap).toBe(24);
  });

  it("asks about a young package at every poll until it has been missing an hour, then ever less often, at most daily", () => {
    const releasedAt = now;
    const asked = runPolls({ ...candidate(), newestIssuedAt: releasedAt }, now, 30 * 24, now);
    const ageHours = (at: Date) => (at.getTime() - releasedAt.getTime()) / HOUR_MS;

    const young = asked.filter((at) => ageHours(at) <= MISSING_AFTER_HOURS + 1);
    expect(young).toHaveLength((MISSING_AFTER_HOURS + 1) * 2 + 1);
    expect(gapsInHours(young).every((gap) => gap === 0.5)).toBe(true);
    const gaps = gapsInHours(asked.filter((at) => ageHours(at) >= MISSING_AFTER_HOURS + 1));
    expect(Math.max(...gaps)).toBe(24);
    expect(gaps.slice(-20)).toEqual(Array.from({ length: 20 }, () => 24));
    // Each gap at most the interval at its start plus one poll: a delay never exceeds what the schedule promises.
    let previous = asked[0];
    for (const at of asked.slice(1)) {
      const promisedSeconds = findNameCheckIntervalSeconds((previous.getTime() - releasedAt.getTime()) / 1000, policy);
      expect((at.getTime() - previous.getTime()) / 1000).toBeLessThanOrEqual(Math.max(promisedSeconds * 2, promisedSeconds + 1800));
      previous = at;
    }
  });

  it("spreads a thousand names that went missing together over the day instead of asking them all in one poll", () => {
    const names = Array.from({ length: 1000 }, (_, index) => candidate({ name: `package-${index}`, major: 8 + (index % 2) }));
    let checks = names.map((name) => ({ ...name, lastCheckedAt: now }));
    const perPoll: number[] = [];
    for (let poll = 1; poll <= 48; poll++) {
      const at = new Date(now.getTime() + poll * 1800 * 1000);
      const due = new Set(scheduleNameChecks(checks, policy, at));
      perPoll.push(due.size);
      checks = checks.map((check) => (due.has(check) ? { ...check, lastCheckedAt: at } : check));
    }

    expect(perPoll.reduce((sum, count) => sum + count, 0)).toBe(1000);
    expect(Math.max(...perPoll)).toBeLessThanOrEqual(45);
    expect(Math.min(...perPoll)).toBeGreaterThanOrEqual(5);
  });
});
