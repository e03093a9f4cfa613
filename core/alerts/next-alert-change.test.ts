import { describe, expect, it } from "vitest";
import { MirrorAlertPolicy } from "../config";
import { evaluateAlertRules, type AlertRulesInput, type CarriedAdvisory, type FiringAlert } from "./evaluate-alert-rules";

const HOUR_MS = 3_600_000;
const now = new Date("2023-06-20T12:00:00Z");
const at = (hoursFromNow: number) => new Date(now.getTime() + hoursFromNow * HOUR_MS);
const mirror = {
  id: "git.centos.org",
  name: "git.centos.org",
  alerts: MirrorAlertPolicy.parse({}),
  expectedLagHours: 48,
  staleAfterMinutes: 360,
  majors: [8],
};
const freshness = { lastSuccessAt: now, lastFailureAt: null, consecutiveFailures: 0, lastErrorKind: null, lastErrorMessage: null };

function update(id: string, issuedAt: Date, publishedAt: Date | null): CarriedAdvisory {
  return {
    advisoryId: id,
    url: `https://access.redhat.com/errata/${id}`,
    severity: "Moderate",
    title: id,
    issuedAt,
    publishedAt,
    isPublishedBeforeTracking: false,
    isUnchecked: false,
    packages: [
      {
        name: "bash",
        nevra: "bash-0:5.1-1.el8",
        status: publishedAt ? "published" : "pending",
        since: issuedAt,
        lagSeconds: publishedAt ? (publishedAt.getTime() - issuedAt.getTime()) / 1000 : null,
        publishedAt,
      },
    ],
  };
}

function input(overrides: Partial<AlertRulesInput> = {}): AlertRulesInput {
  return {
    mirror,
    now,
    freshness,
    updatesByMajor: new Map(),
    firing: [],
    silences: [],
    policy: { groupIntervalMinutes: 60, repeatIntervalHours: 24 },
    ...overrides,
  };
}

const nextOf = (rules: AlertRulesInput) => evaluateAlertRules(rules).nextChangeAt;

describe("when the alert rules' answer next changes by the clock alone", () => {
  it("is never, for a mirror with nothing to judge and no poll yet", () => {
    expect(nextOf(input({ freshness: null }))).toBeNull();
  });

  it("is when the mirror turns stale: its last success plus staleAfterMinutes", () => {
    expect(nextOf(input())).toEqual(at(6));
  });

  it("is when a mirror we never reached turns stale: the first attempt plus staleAfterMinutes", () => {
    const failing = { ...freshness, lastSuccessAt: null, lastFailureAt: at(-0.5), consecutiveFailures: 2, firstAttemptAt: at(-1) };
    expect(nextOf(input({ freshness: failing }))).toEqual(at(5));
  });

  it("is when an open update turns overdue: its release plus the normal lag (the configured 48 h until learned)", () => {
    const updatesByMajor = new Map([[8, [update("RHSA-2023:1", at(-46), null)]]]);
    expect(evaluateAlertRules(input({ updatesByMajor })).normalLag.hours).toBe(48);
    expect(nextOf(input({ updatesByMajor }))).toEqual(at(2));
  });

  it("is when a publication leaves the normal-lag history, or when a release in the future comes", () => {
    const published = update("RHSA-2023:2", at(-90 * 24 + 0.5 - 4), at(-90 * 24 + 0.5));
    expect(nextOf(input({ updatesByMajor: new Map([[8, [published]]]) }))).toEqual(at(0.5));
    const future = update("RHSA-2023:3", at(0.25), null);
    expect(nextOf(input({ updatesByMajor: new Map([[8, [future]]]) }))).toEqual(at(0.25));
  });

  it("is when a firing alert's group or repeat interval ends, and only that while the mirror is stale", () => {
    const alert: FiringAlert = {
      id: 1,
      kind: "mirror_stale",
      summary: "git.centos.org: no successful poll since …",
      major: null,
      details: { mirrorId: mirror.id, mirrorName: mirror.name, major: null, items: [] },
      notifiedAt: at(-30),
      lastNotifiedAt: at(-23),
      inhibitedById: null,
      lastNotifiedAdvisoryIds: [],
    };
    const stale = { ...freshness, lastSuccessAt: at(-10) };
    const overdueSoon = new Map([[8, [update("RHSA-2023:4", at(-47), null)]]]);
    // Stale: the update turning overdue changes nothing (the mirror's other alerts are frozen); the reminder does.
    expect(nextOf(input({ freshness: stale, firing: [alert], updatesByMajor: overdueSoon }))).toEqual(at(1));
    // The reminder is due at exactly lastNotifiedAt + repeatIntervalHours (the rule compares with ≥).
    const reminded = evaluateAlertRules(input({ now: at(1), freshness: stale, firing: [alert] })).changes;
    expect(reminded).toMatchObject([{ type: "update", events: [{ type: "reminder" }] }]);
    const justNotified = { ...alert, lastNotifiedAt: at(-0.5) };
    expect(nextOf(input({ freshness: stale, firing: [justNotified] }))).toEqual(at(0.5));
  });
});
