import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MirrorAlertPolicy } from "../config";
import {
  evaluateAlertRules,
  groupCarriedAdvisories,
  type AlertChange,
  type AlertRulesInput,
  type CarriedAdvisory,
  type CarriedPackageRow,
  type FiringAlert,
} from "./evaluate-alert-rules";
import type { AlertDetails, AlertKind } from "./types";

const HOUR_MS = 3_600_000;
const now = new Date("2023-06-20T12:00:00Z");
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * HOUR_MS);
const mirror = { id: "git.centos.org", name: "git.centos.org", alerts: MirrorAlertPolicy.parse({}), expectedLagHours: 48, staleAfterMinutes: 360, majors: [8, 9] };
const fresh = { lastSuccessAt: hoursAgo(0.5), lastFailureAt: null, consecutiveFailures: 0, lastErrorKind: null, lastErrorMessage: null };
const policy = { groupIntervalMinutes: 60, repeatIntervalHours: 24 };

let nextId = 0;
function update(issuedHoursAgo: number, statuses: string[] | "published", options: { lagHours?: number; severity?: string } = {}): CarriedAdvisory {
  const id = `RHSA-2023:${1000 + nextId++}`;
  const issuedAt = hoursAgo(issuedHoursAgo);
  const lagHours = options.lagHours ?? 4;
  const list = statuses === "published" ? ["published"] : statuses;
  return {
    advisoryId: id,
    url: `https://access.redhat.com/errata/${id}`,
    severity: options.severity ?? "Moderate",
    title: `Update ${id}`,
    issuedAt,
    publishedAt: statuses === "published" ? new Date(issuedAt.getTime() + lagHours * HOUR_MS) : null,
    packages: list.map((status, index) => ({ name: `pkg${index}`, nevra: `pkg${index}-0:1.0-1.el8`, status, since: now, lagSeconds: status === "published" ? lagHours * 3600 : null })),
  };
}

/** 30 updates published 4 h after release over the past month: a learned normal lag of 4 h → floor 6 h. */
function history(): CarriedAdvisory[] {
  return Array.from({ length: 30 }, (_, index) => update(24 * 30 - index * 20, "published"));
}

function input(overrides: Partial<AlertRulesInput> & { updates8?: CarriedAdvisory[] } = {}): AlertRulesInput {
  const { updates8, ...rest } = overrides;
  return {
    mirror,
    now,
    freshness: fresh,
    updatesByMajor: new Map([[8, updates8 ?? history()]]),
    firing: [],
    silences: [],
    policy,
    ...rest,
  };
}

function firing(kind: AlertKind, major: number | null, details: Partial<AlertDetails> & { items?: AlertDetails["items"] }, extra: Partial<FiringAlert> = {}): FiringAlert {
  return {
    id: ++nextId,
    kind,
    major,
    summary: `${kind} summary`,
    details: { mirrorId: mirror.id, mirrorName: mirror.name, major, items: [], ...details },
    notifiedAt: hoursAgo(2),
    lastNotifiedAt: hoursAgo(2),
    inhibitedById: null,
    lastNotifiedAdvisoryIds: (details.items ?? []).map((item) => item.advisoryId),
    ...extra,
  };
}

const kindsOf = (changes: AlertChange[], type: AlertChange["type"]) => changes.filter((change) => change.type === type).map((change) => `${change.kind}/${change.major ?? "all"}`);

/** The details a firing alert would carry now, from a first evaluation. */
function detailsNow(overrides: Parameters<typeof input>[0], kind: AlertKind): AlertDetails {
  const change = evaluateAlertRules(input({ ...overrides, firing: [] })).changes.find((candidate) => candidate.kind === kind);
  if (!change || change.type !== "fire") throw new Error(`${kind} would not fire`);
  return change.details;
}

describe("evaluateAlertRules", () => {
  it("fires nothing for a mirror that publishes within its normal lag", () => {
    const { changes, normalLag } = evaluateAlertRules(input({ updates8: [...history(), update(3, ["pending"]), update(1, ["pending"])] }));
    expect(changes).toEqual([]);
    expect(normalLag).toMatchObject({ hours: 6, source: "learned", historySize: 30 });
  });

  it("fires publishing_stopped once enough updates released after the last publication are past the learned normal lag", () => {
    const stalled = [update(30, ["pending"]), update(20, ["pending"]), update(10, ["pending"])];
    const last = update(40, "published", { lagHours: 2 });
    const { changes } = evaluateAlertRules(input({ updates8: [...history(), last, ...stalled] }));
    const stop = changes.find((change) => change.kind === "publishing_stopped");
    expect(stop).toMatchObject({ type: "fire", major: 8, inhibitedByKey: null, event: { type: "fired", notified: true, quietReason: null } });
    if (stop?.type !== "fire") throw new Error("no fire");
    expect(stop.details.stop).toMatchObject({ lastPublishedAt: hoursAgo(38).toISOString(), normalLagHours: 6, normalLagSource: "learned", overdueSinceCount: 3, releasedSinceCount: 3 });
    expect(stop.details.items.map((item) => item.advisoryId)).toEqual(stalled.map((item) => item.advisoryId));
    expect(stop.summary).toContain("stopped publishing RHEL 8");

    const twoOverdue = evaluateAlertRules(input({ updates8: [...history(), last, update(30, ["pending"]), update(20, ["pending"]), update(3, ["pending"])] }));
    expect(kindsOf(twoOverdue.changes, "fire")).toEqual([]);
  });

  it("judges overdue by the configured expected lag while the history is too short", () => {
    const updates8 = [update(100, "published"), update(40, ["pending"]), update(30, ["pending"]), update(20, ["pending"])];
    expect(kindsOf(evaluateAlertRules(input({ updates8 })).changes, "fire")).toEqual([]);
    const older = [update(100, "published"), update(60, ["delayed"]), update(55, ["delayed"]), update(50, ["delayed"])];
    const { changes } = evaluateAlertRules(input({ updates8: older }));
    const stop = changes.find((change) => change.kind === "publishing_stopped");
    expect(stop?.type === "fire" && stop.details.stop).toMatchObject({ normalLagHours: 48, normalLagSource: "configured", historySize: 1 });
  });

  it("groups delayed and missing updates per mirror × major, listing only the packages in that state", () => {
    const mixed = update(100, ["published", "missing", "delayed"], { severity: "Important" });
    const delayed = update(60, ["delayed"], { severity: "Low" });
    const { changes } = evaluateAlertRules(input({ updates8: [...history(), update(1, "published"), mixed, delayed] }));
    const missing = changes.find((change) => change.kind === "update_missing");
    const late = changes.find((change) => change.kind === "update_delayed");
    expect(missing).toMatchObject({ type: "fire", severity: "Important", event: { notified: true } });
    expect(late).toMatchObject({ type: "fire", severity: "Important" });
    if (missing?.type !== "fire" || late?.type !== "fire") throw new Error("expected fires");
    expect(missing.details.items.map((item) => [item.advisoryId, item.packages.map((pkg) => pkg.status)])).toEqual([[mixed.advisoryId, ["missing"]]]);
    expect(late.details.items.map((item) => item.advisoryId)).toEqual([mixed.advisoryId, delayed.advisoryId]);
    expect(late.summary).toBe("git.centos.org: 2 RHEL 8 updates delayed");
  });

  it("counts a missing or delayed package only once a poll that started after its verdict has looked for it", () => {
    // An upstream sync just brought an old advisory: its verdict reads "missing" (since = now) before the mirror was asked.
    const fresh8 = [...history(), update(1, "published"), update(400, ["missing"])];
    const beforeAsked = evaluateAlertRules(input({ updates8: fresh8, freshness: { ...fresh, lastCheckedAt: hoursAgo(0.5) } }));
    expect(kindsOf(beforeAsked.changes, "fire")).toEqual([]);
    const neverAsked = evaluateAlertRules(input({ updates8: fresh8, freshness: { ...fresh, lastCheckedAt: null } }));
    expect(kindsOf(neverAsked.changes, "fire")).toEqual([]);
    // The next poll started after the verdict and did not find it: now it is missing on the mirror.
    const afterAsked = evaluateAlertRules(input({ updates8: fresh8, freshness: { ...fresh, lastCheckedAt: now } }));
    expect(kindsOf(afterAsked.changes, "fire")).toEqual(["update_missing/8"]);
  });

  it("never alerts on unknown verdicts, and not on updates at all when the mirror's updateAlerts is off", () => {
    expect(evaluateAlertRules(input({ updates8: [...history(), update(1, "published"), update(200, ["unknown"])] })).changes).toEqual([]);
    const quiet = { ...mirror, alerts: { ...mirror.alerts, updateAlerts: false } };
    expect(evaluateAlertRules(input({ mirror: quiet, updates8: [...history(), update(1, "published"), update(200, ["missing"])] })).changes).toEqual([]);
  });

  it("inhibits the per-update alerts of a stopped mirror × major: they fire quietly, folded into the stop", () => {
    const updates8 = [...history(), update(300, "published"), update(200, ["missing"]), update(100, ["delayed"]), update(90, ["delayed"]), update(80, ["delayed"])];
    const { changes } = evaluateAlertRules(input({ updates8 }));
    expect(changes.map((change) => change.kind)).toEqual(["publishing_stopped", "update_delayed", "update_missing"]);
    for (const change of changes.slice(1)) {
      expect(change).toMatchObject({ type: "fire", inhibitedByKey: "publishing_stopped/git.centos.org/8", event: { notified: false, quietReason: "inhibited" } });
    }
  });

  it("inhibits an already firing per-update alert when the stop starts, quietly", () => {
    const base = [...history(), update(300, "published")];
    const missing = update(200, ["missing"]);
    const before = detailsNow({ updates8: [...base, missing] }, "update_missing");
    const alert = firing("update_missing", 8, before);
    const { changes } = evaluateAlertRules(input({ updates8: [...base, missing, update(100, ["delayed"]), update(90, ["delayed"]), update(80, ["delayed"])], firing: [alert] }));
    expect(kindsOf(changes, "fire")).toEqual(["publishing_stopped/8", "update_delayed/8"]);
    const change = changes.find((candidate) => candidate.kind === "update_missing");
    expect(change).toMatchObject({ type: "update", alertId: alert.id, inhibitedByKey: "publishing_stopped/git.centos.org/8", events: [{ type: "inhibited", notified: false, quietReason: "inhibited" }] });
  });

  it("keeps a folded alert firing while the stop fires, and resolves it — telling those it told — once the stop is over", () => {
    const stopped = [...history(), update(300, "published"), update(100, ["delayed"]), update(90, ["delayed"]), update(80, ["delayed"])];
    const stop = firing("publishing_stopped", 8, { items: [] });
    const toldBefore = firing("update_missing", 8, { items: [] });
    const first = evaluateAlertRules(input({ updates8: stopped, firing: [stop, toldBefore] })).changes.filter((change) => change.kind === "update_missing");
    expect(first).toEqual([expect.objectContaining({ type: "update", alertId: toldBefore.id, inhibitedByKey: "publishing_stopped/git.centos.org/8", events: [expect.objectContaining({ type: "inhibited", notified: false })] })]);
    const inhibited = { ...toldBefore, inhibitedById: stop.id };
    expect(evaluateAlertRules(input({ updates8: stopped, firing: [stop, inhibited] })).changes.filter((change) => change.kind === "update_missing")).toEqual([]);
    const resumed = evaluateAlertRules(input({ updates8: [...history(), update(1, "published")], firing: [stop, inhibited] })).changes;
    expect(resumed.map((change) => `${change.type}:${change.kind}`)).toEqual(["resolve:publishing_stopped", "resolve:update_missing"]);
    expect(resumed[1]).toMatchObject({ event: { type: "resolved", notified: true } });
  });

  it("when the stop resolves, tells about still-firing inhibited alerts that were never notified, and only those", () => {
    const updates8 = [...history(), update(1, "published"), update(200, ["missing"])];
    const details = detailsNow({ updates8 }, "update_missing");
    const stop = firing("publishing_stopped", 8, { items: [] });
    const never = firing("update_missing", 8, details, { notifiedAt: null, lastNotifiedAt: null, inhibitedById: stop.id, lastNotifiedAdvisoryIds: null });
    const { changes } = evaluateAlertRules(input({ updates8, firing: [stop, never] }));
    expect(changes[0]).toMatchObject({ type: "resolve", kind: "publishing_stopped", event: { type: "resolved", notified: true } });
    expect(changes[1]).toMatchObject({ type: "update", kind: "update_missing", inhibitedByKey: null, events: [{ type: "uninhibited", notified: true, quietReason: null }] });

    const told = { ...never, notifiedAt: hoursAgo(1), lastNotifiedAt: hoursAgo(1), lastNotifiedAdvisoryIds: details.items.map((item) => item.advisoryId) };
    const again = evaluateAlertRules(input({ updates8, firing: [stop, told] })).changes;
    expect(again[1]).toMatchObject({ events: [{ type: "uninhibited", notified: false, quietReason: "notified_before" }] });
  });

  it("raises mirror_stale when our polls fail past staleAfterMinutes, and freezes every other alert of the mirror", () => {
    const stale = { ...fresh, lastSuccessAt: hoursAgo(7), lastFailureAt: hoursAgo(0.5), consecutiveFailures: 14, lastErrorKind: "network", lastErrorMessage: "ECONNRESET" };
    const updates8 = [...history(), update(300, "published"), update(200, ["missing"]), update(100, ["delayed"]), update(80, ["delayed"])];
    const delayedAlert = firing("update_delayed", 8, { items: [] });
    const { changes } = evaluateAlertRules(input({ freshness: stale, updates8, firing: [delayedAlert] }));
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ type: "fire", kind: "mirror_stale", major: null, event: { notified: true } });
    if (changes[0].type !== "fire") throw new Error("no fire");
    expect(changes[0].details.stale).toEqual({ lastSuccessAt: hoursAgo(7).toISOString(), staleAfterMinutes: 360, lastErrorKind: "network", lastErrorMessage: "ECONNRESET", consecutiveFailures: 14 });

    const neverPolled = { ...stale, lastSuccessAt: null };
    expect(kindsOf(evaluateAlertRules(input({ freshness: neverPolled })).changes, "fire")).toEqual(["mirror_stale/all"]);
    expect(evaluateAlertRules(input({ freshness: null })).changes).toEqual([]);
  });

  it("gives a mirror never polled successfully staleAfterMinutes from our first attempt before calling it stale", () => {
    const failing = { ...fresh, lastSuccessAt: null, lastFailureAt: hoursAgo(0.1), consecutiveFailures: 2, lastErrorKind: "network", lastErrorMessage: "ENOTFOUND" };
    expect(kindsOf(evaluateAlertRules(input({ freshness: { ...failing, firstAttemptAt: hoursAgo(1) } })).changes, "fire")).toEqual([]);
    expect(kindsOf(evaluateAlertRules(input({ freshness: { ...failing, firstAttemptAt: hoursAgo(7) } })).changes, "fire")).toEqual(["mirror_stale/all"]);
  });

  it("resolves mirror_stale once a poll succeeds again, then judges the other kinds again", () => {
    const staleAlert = firing("mirror_stale", null, {});
    const updates8 = [...history(), update(1, "published"), update(200, ["missing"])];
    const { changes } = evaluateAlertRules(input({ updates8, firing: [staleAlert] }));
    expect(changes.map((change) => `${change.type}:${change.kind}`)).toEqual(["resolve:mirror_stale", "fire:update_missing"]);
  });

  it("sends the resolve only when something about the alert was notified", () => {
    const told = firing("update_missing", 8, { items: [] });
    const untold = firing("update_delayed", 8, { items: [] }, { notifiedAt: null, lastNotifiedAt: null, lastNotifiedAdvisoryIds: null });
    const { changes } = evaluateAlertRules(input({ firing: [told, untold] }));
    expect(changes).toEqual([
      expect.objectContaining({ type: "resolve", alertId: untold.id, event: expect.objectContaining({ notified: false, quietReason: "not_notified_before" }) }),
      expect.objectContaining({ type: "resolve", alertId: told.id, event: expect.objectContaining({ notified: true, quietReason: null }) }),
    ]);
  });

  it("keeps a silenced alert firing but quiet, matching mirror, major and kind; the resolve still goes to those notified", () => {
    const updates8 = [...history(), update(1, "published"), update(200, ["missing"])];
    const silence = { id: 7, matchers: { mirrorId: mirror.id, major: 8, kind: "update_missing" as const }, startsAt: hoursAgo(1), endsAt: hoursAgo(-1) };
    expect(evaluateAlertRules(input({ updates8, silences: [silence] })).changes[0]).toMatchObject({ type: "fire", event: { notified: false, quietReason: "silenced:7" } });
    for (const other of [{ major: 9 }, { kind: "update_delayed" as const }, { mirrorId: "other" }]) {
      const miss = { ...silence, matchers: { ...silence.matchers, ...other } };
      expect(evaluateAlertRules(input({ updates8, silences: [miss] })).changes[0]).toMatchObject({ event: { notified: true } });
    }
    const expired = { ...silence, endsAt: now };
    expect(evaluateAlertRules(input({ updates8, silences: [expired] })).changes[0]).toMatchObject({ event: { notified: true } });
    const told = firing("update_missing", 8, { items: [] });
    expect(evaluateAlertRules(input({ silences: [silence], firing: [told] })).changes[0]).toMatchObject({ type: "resolve", event: { notified: true } });
  });

  it("tells an alert that fired silenced once the silence is over", () => {
    const updates8 = [...history(), update(1, "published"), update(200, ["missing"])];
    const details = detailsNow({ updates8 }, "update_missing");
    const alert = firing("update_missing", 8, details, { notifiedAt: null, lastNotifiedAt: null, lastNotifiedAdvisoryIds: null });
    expect(evaluateAlertRules(input({ updates8, firing: [alert] })).changes[0]).toMatchObject({ type: "update", events: [{ type: "reminder", notified: true }] });
  });

  it("notifies growth at most once per group interval, and sends the held-back change once it has passed", () => {
    const base = [...history(), update(1, "published")];
    const first = update(200, ["missing"]);
    const second = update(190, ["missing"]);
    const before = detailsNow({ updates8: [...base, first] }, "update_missing");
    const recent = firing("update_missing", 8, before, { lastNotifiedAt: new Date(now.getTime() - 30 * 60_000) });
    const grown = evaluateAlertRules(input({ updates8: [...base, first, second], firing: [recent] })).changes[0];
    expect(grown).toMatchObject({ type: "update", events: [{ type: "grew", notified: false, quietReason: "group_interval", details: { added: [second.advisoryId], removed: [] } }] });

    const after = detailsNow({ updates8: [...base, first, second] }, "update_missing");
    const heldBack = firing("update_missing", 8, after, { lastNotifiedAt: hoursAgo(1), lastNotifiedAdvisoryIds: [first.advisoryId] });
    const flushed = evaluateAlertRules(input({ updates8: [...base, first, second], firing: [heldBack] })).changes[0];
    expect(flushed).toMatchObject({ type: "update", events: [{ type: "grew", notified: true, details: { added: [second.advisoryId], removed: [] } }] });

    const old = firing("update_missing", 8, after, { lastNotifiedAt: hoursAgo(2) });
    const shrunk = evaluateAlertRules(input({ updates8: [...base, first, { ...second, packages: [{ ...second.packages[0], status: "published", lagSeconds: 3600 }], publishedAt: now }], firing: [old] })).changes[0];
    expect(shrunk).toMatchObject({ type: "update", events: [{ type: "shrank", notified: true, details: { added: [], removed: [second.advisoryId] } }] });
  });

  it("reminds every repeat interval while the alert fires and was notified, not while it is inhibited or silenced", () => {
    const updates8 = [...history(), update(1, "published"), update(200, ["missing"])];
    const details = detailsNow({ updates8 }, "update_missing");
    const due = firing("update_missing", 8, details, { lastNotifiedAt: hoursAgo(24) });
    expect(evaluateAlertRules(input({ updates8, firing: [due] })).changes[0]).toMatchObject({ events: [{ type: "reminder", notified: true }] });
    const notDue = firing("update_missing", 8, details, { lastNotifiedAt: hoursAgo(23) });
    expect(evaluateAlertRules(input({ updates8, firing: [notDue] })).changes).toEqual([]);
    const silence = { id: 1, matchers: {}, startsAt: hoursAgo(1), endsAt: hoursAgo(-1) };
    expect(evaluateAlertRules(input({ updates8, firing: [due], silences: [silence] })).changes).toEqual([]);
    expect(evaluateAlertRules(input({ updates8, firing: [due], policy: { ...policy, repeatIntervalHours: 0 } })).changes).toEqual([]);
  });

  it("refreshes the details without an event when only the evidence changed, not when only ages grew", () => {
    const missing = update(200, ["missing"]);
    const updates8 = [...history(), update(1, "published"), missing];
    const details = detailsNow({ updates8 }, "update_missing");
    const older = { ...details, items: details.items.map((item) => ({ ...item, ageHours: item.ageHours - 5 })) };
    expect(evaluateAlertRules(input({ updates8, firing: [firing("update_missing", 8, older)] })).changes).toEqual([]);
    const changed = { ...details, items: details.items.map((item) => ({ ...item, title: "old title" })) };
    expect(evaluateAlertRules(input({ updates8, firing: [firing("update_missing", 8, changed)] })).changes[0]).toMatchObject({ type: "update", events: [] });
  });
});

describe("evaluateAlertRules properties", () => {
  const statusArb = fc.constantFrom("published", "pending", "delayed", "missing", "unknown");
  const updateArb = fc.record({ issuedHoursAgo: fc.integer({ min: 0, max: 24 * 60 }), statuses: fc.array(statusArb, { minLength: 1, maxLength: 3 }), lagHours: fc.integer({ min: 0, max: 150 }) });
  const kindArb = fc.constantFrom<AlertKind>("publishing_stopped", "update_missing", "update_delayed", "mirror_stale");
  const scenarioArb = fc.record({
    updates: fc.array(updateArb, { maxLength: 40 }),
    isStale: fc.boolean(),
    firingKinds: fc.uniqueArray(fc.record({ kind: kindArb, notified: fc.boolean(), inhibited: fc.boolean() }), { selector: (alert) => alert.kind, maxLength: 4 }),
    silenced: fc.boolean(),
  });
  type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;
  const build = (scenario: Scenario) => {
    const updates8 = scenario.updates.map((item) => {
      const isPublished = item.statuses.every((status) => status === "published");
      return isPublished ? update(item.issuedHoursAgo, "published", { lagHours: Math.min(item.lagHours, item.issuedHoursAgo) }) : update(item.issuedHoursAgo, item.statuses);
    });
    const freshness = scenario.isStale ? { ...fresh, lastSuccessAt: hoursAgo(10), lastFailureAt: hoursAgo(1) } : fresh;
    const alerts = scenario.firingKinds.map(({ kind, notified, inhibited }) =>
      firing(kind, kind === "mirror_stale" ? null : 8, { items: [] }, notified ? { inhibitedById: inhibited && kind.startsWith("update") ? 1 : null } : { notifiedAt: null, lastNotifiedAt: null, lastNotifiedAdvisoryIds: null, inhibitedById: inhibited && kind.startsWith("update") ? 1 : null }),
    );
    const silences = scenario.silenced ? [{ id: 3, matchers: { kind: "update_missing" as const }, startsAt: hoursAgo(1), endsAt: hoursAgo(-1) }] : [];
    return { input: input({ updates8, freshness, firing: alerts, silences }), alerts };
  };

  it("never fires, changes or resolves another kind of alert while the mirror is stale", () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const { input: rulesInput } = build({ ...scenario, isStale: true });
        const { changes } = evaluateAlertRules(rulesInput);
        expect(changes.every((change) => change.kind === "mirror_stale")).toBe(true);
      }),
    );
  });

  it("explains every quiet event and never notifies a per-update alert while its mirror × major has stopped publishing", () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const { input: rulesInput } = build(scenario);
        const { changes } = evaluateAlertRules(rulesInput);
        const isStopWanted = changes.some((change) => change.kind === "publishing_stopped" && change.type !== "resolve") ||
          (rulesInput.firing.some((alert) => alert.kind === "publishing_stopped") && !changes.some((change) => change.kind === "publishing_stopped" && change.type === "resolve"));
        for (const change of changes) {
          const events = change.type === "update" ? change.events : [change.event];
          for (const event of events) {
            expect(event.notified === (event.quietReason === null)).toBe(true);
            if (isStopWanted && !scenario.isStale && change.kind.startsWith("update")) expect(event.notified).toBe(false);
          }
        }
      }),
    );
  });

  it("sends a resolve exactly for the alerts that were notified, and fires at most one alert per kind", () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const { input: rulesInput, alerts } = build(scenario);
        const { changes } = evaluateAlertRules(rulesInput);
        for (const change of changes) {
          if (change.type !== "resolve") continue;
          const alert = alerts.find((candidate) => candidate.id === change.alertId)!;
          expect(change.event.notified).toBe(alert.notifiedAt !== null);
        }
        const fired = changes.filter((change) => change.type === "fire").map((change) => change.kind);
        expect(new Set(fired).size).toBe(fired.length);
        for (const kind of fired) expect(alerts.some((alert) => alert.kind === kind)).toBe(false);
      }),
    );
  });
});

describe("groupCarriedAdvisories", () => {
  const row = (advisoryId: string, major: number, status: string, lagHours: number | null, name = "pkg"): CarriedPackageRow => ({
    advisoryId,
    url: `https://access.redhat.com/errata/${advisoryId}`,
    severity: "Low",
    title: null,
    issuedAt: hoursAgo(100),
    major,
    name,
    nevra: `${name}-0:1-1`,
    status,
    since: hoursAgo(1),
    lagSeconds: lagHours === null ? null : lagHours * 3600,
  });

  it("publishes an advisory × major when all its applicable packages are, at the latest of their evidence times", () => {
    const grouped = groupCarriedAdvisories([
      row("A", 8, "published", 3, "a"),
      row("A", 8, "published", 9, "b"),
      row("A", 8, "not_applicable", null, "c"),
      row("A", 9, "published", 2, "a"),
      row("A", 9, "delayed", null, "b"),
      row("B", 9, "not_applicable", null),
    ]);
    expect(grouped.get(8)).toEqual([expect.objectContaining({ advisoryId: "A", publishedAt: hoursAgo(91) })]);
    expect(grouped.get(8)![0].packages.map((pkg) => pkg.name)).toEqual(["a", "b"]);
    expect(grouped.get(9)).toEqual([expect.objectContaining({ advisoryId: "A", publishedAt: null })]);
  });
});
