import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MirrorAlertPolicy } from "../config";
import {
  evaluateAlertRules,
  groupCarriedAdvisories,
  listPublishedLags,
  type AlertChange,
  type AlertRulesInput,
  type CarriedAdvisory,
  type CarriedPackageRow,
  type FiringAlert,
} from "./evaluate-alert-rules";
import { decodeAlertDetails, encodeAlertDetails } from "./alert-details-codec";
import type { AlertDetails, AlertKind } from "./types";

const HOUR_MS = 3_600_000;
const now = new Date("2023-06-20T12:00:00Z");
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * HOUR_MS);
const mirror = {
  id: "git.centos.org",
  name: "git.centos.org",
  alerts: MirrorAlertPolicy.parse({}),
  expectedLagHours: 48,
  staleAfterMinutes: 360,
  majors: [8, 9],
};
const fresh = { lastSuccessAt: hoursAgo(0.5), lastFailureAt: null, consecutiveFailures: 0, lastErrorKind: null, lastErrorMessage: null };
const policy = { groupIntervalMinutes: 60, repeatIntervalHours: 24 };

let nextId = 0;
function update(
  issuedHoursAgo: number,
  statuses: string[] | "published",
  options: { lagHours?: number; severity?: string } = {},
): CarriedAdvisory {
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
    isPublishedBeforeTracking: false,
    isUnchecked: false,
    packages: list.map((status, index) => ({
      name: `pkg${index}`,
      nevra: `pkg${index}-0:1.0-1.el8`,
      status,
      since: now,
      lagSeconds: status === "published" ? lagHours * 3600 : null,
      publishedAt: status === "published" ? new Date(issuedAt.getTime() + lagHours * HOUR_MS) : null,
    })),
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

function firing(
  kind: AlertKind,
  major: number | null,
  details: Partial<AlertDetails> & { items?: AlertDetails["items"] },
  extra: Partial<FiringAlert> = {},
): FiringAlert {
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

const kindsOf = (changes: AlertChange[], type: AlertChange["type"]) =>
  changes.filter((change) => change.type === type).map((change) => `${change.kind}/${change.major ?? "all"}`);

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
    expect(stop).toMatchObject({
      type: "fire",
      major: 8,
      inhibitedByKey: null,
      event: { type: "fired", notified: true, quietReason: null },
    });
    if (stop?.type !== "fire") throw new Error("no fire");
    expect(stop.details.stop).toMatchObject({
      lastPublishedAt: hoursAgo(38).toISOString(),
      normalLagHours: 6,
      normalLagSource: "learned",
      overdueSinceCount: 3,
      releasedSinceCount: 3,
    });
    expect(stop.details.items.map((item) => item.advisoryId)).toEqual(stalled.map((item) => item.advisoryId));
    expect(stop.summary).toContain("stopped publishing RHEL 8");

    const twoOverdue = evaluateAlertRules(
      input({ updates8: [...history(), last, update(30, ["pending"]), update(20, ["pending"]), update(3, ["pending"])] }),
    );
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
    expect(missing.details.items.map((item) => [item.advisoryId, item.packages.map((pkg) => pkg.status)])).toEqual([
      [mixed.advisoryId, ["missing"]],
    ]);
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
    expect(
      evaluateAlertRules(input({ mirror: quiet, updates8: [...history(), update(1, "published"), update(200, ["missing"])] })).changes,
    ).toEqual([]);
  });

  it("inhibits the per-update alerts of a stopped mirror × major: they fire quietly, folded into the stop", () => {
    const updates8 = [
      ...history(),
      update(300, "published"),
      update(200, ["missing"]),
      update(100, ["delayed"]),
      update(90, ["delayed"]),
      update(80, ["delayed"]),
    ];
    const { changes } = evaluateAlertRules(input({ updates8 }));
    expect(changes.map((change) => change.kind)).toEqual(["publishing_stopped", "update_delayed", "update_missing"]);
    for (const change of changes.slice(1)) {
      expect(change).toMatchObject({
        type: "fire",
        inhibitedByKey: "publishing_stopped/git.centos.org/8",
        event: { notified: false, quietReason: "inhibited" },
      });
    }
  });

  it("inhibits an already firing per-update alert when the stop starts, quietly", () => {
    const base = [...history(), update(300, "published")];
    const missing = update(200, ["missing"]);
    const before = detailsNow({ updates8: [...base, missing] }, "update_missing");
    const alert = firing("update_missing", 8, before);
    const { changes } = evaluateAlertRules(
      input({ updates8: [...base, missing, update(100, ["delayed"]), update(90, ["delayed"]), update(80, ["delayed"])], firing: [alert] }),
    );
    expect(kindsOf(changes, "fire")).toEqual(["publishing_stopped/8", "update_delayed/8"]);
    const change = changes.find((candidate) => candidate.kind === "update_missing");
    expect(change).toMatchObject({
      type: "update",
      alertId: alert.id,
      inhibitedByKey: "publishing_stopped/git.centos.org/8",
      events: [{ type: "inhibited", notified: false, quietReason: "inhibited" }],
    });
  });

  it("keeps a folded alert firing while the stop fires, and resolves it — telling those it told — once the stop is over", () => {
    const stopped = [...history(), update(300, "published"), update(100, ["delayed"]), update(90, ["delayed"]), update(80, ["delayed"])];
    const stop = firing("publishing_stopped", 8, { items: [] });
    const toldBefore = firing("update_missing", 8, { items: [] });
    const first = evaluateAlertRules(input({ updates8: stopped, firing: [stop, toldBefore] })).changes.filter(
      (change) => change.kind === "update_missing",
    );
    expect(first).toEqual([
      expect.objectContaining({
        type: "update",
        alertId: toldBefore.id,
        inhibitedByKey: "publishing_stopped/git.centos.org/8",
        events: [expect.objectContaining({ type: "inhibited", notified: false })],
      }),
    ]);
    const inhibited = { ...toldBefore, inhibitedById: stop.id };
    expect(
      evaluateAlertRules(input({ updates8: stopped, firing: [stop, inhibited] })).changes.filter(
        (change) => change.kind === "update_missing",
      ),
    ).toEqual([]);
    const resumed = evaluateAlertRules(input({ updates8: [...history(), update(1, "published")], firing: [stop, inhibited] })).changes;
    expect(resumed.map((change) => `${change.type}:${change.kind}`)).toEqual(["resolve:publishing_stopped", "resolve:update_missing"]);
    expect(resumed[1]).toMatchObject({ event: { type: "resolved", notified: true } });
  });

  it("when the stop resolves, tells about still-firing inhibited alerts that were never notified, and only those", () => {
    const updates8 = [...history(), update(1, "published"), update(200, ["missing"])];
    const details = detailsNow({ updates8 }, "update_missing");
    const stop = firing("publishing_stopped", 8, { items: [] });
    const never = firing("update_missing", 8, details, {
      notifiedAt: null,
      lastNotifiedAt: null,
      inhibitedById: stop.id,
      lastNotifiedAdvisoryIds: null,
    });
    const { changes } = evaluateAlertRules(input({ updates8, firing: [stop, never] }));
    expect(changes[0]).toMatchObject({ type: "resolve", kind: "publishing_stopped", event: { type: "resolved", notified: true } });
    expect(changes[1]).toMatchObject({
      type: "update",
      kind: "update_missing",
      inhibitedByKey: null,
      events: [{ type: "uninhibited", notified: true, quietReason: null }],
    });

    const told = {
      ...never,
      notifiedAt: hoursAgo(1),
      lastNotifiedAt: hoursAgo(1),
      lastNotifiedAdvisoryIds: details.items.map((item) => item.advisoryId),
    };
    const again = evaluateAlertRules(input({ updates8, firing: [stop, told] })).changes;
    expect(again[1]).toMatchObject({ events: [{ type: "uninhibited", notified: false, quietReason: "notified_before" }] });
  });

  it("raises mirror_stale when our polls fail past staleAfterMinutes, and freezes every other alert of the mirror", () => {
    const stale = {
      ...fresh,
      lastSuccessAt: hoursAgo(7),
      lastFailureAt: hoursAgo(0.5),
      consecutiveFailures: 14,
      lastErrorKind: "network",
      lastErrorMessage: "ECONNRESET",
    };
    const updates8 = [...history(), update(300, "published"), update(200, ["missing"]), update(100, ["delayed"]), update(80, ["delayed"])];
    const delayedAlert = firing("update_delayed", 8, { items: [] });
    const { changes } = evaluateAlertRules(input({ freshness: stale, updates8, firing: [delayedAlert] }));
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ type: "fire", kind: "mirror_stale", major: null, event: { notified: true } });
    if (changes[0].type !== "fire") throw new Error("no fire");
    expect(changes[0].details.stale).toEqual({
      lastSuccessAt: hoursAgo(7).toISOString(),
      staleAfterMinutes: 360,
      lastErrorKind: "network",
      lastErrorMessage: "ECONNRESET",
      consecutiveFailures: 14,
    });

    const neverPolled = { ...stale, lastSuccessAt: null };
    expect(kindsOf(evaluateAlertRules(input({ freshness: neverPolled })).changes, "fire")).toEqual(["mirror_stale/all"]);
    expect(evaluateAlertRules(input({ freshness: null })).changes).toEqual([]);
  });

  it("gives a mirror never polled successfully staleAfterMinutes from our first attempt before calling it stale", () => {
    const failing = {
      ...fresh,
      lastSuccessAt: null,
      lastFailureAt: hoursAgo(0.1),
      consecutiveFailures: 2,
      lastErrorKind: "network",
      lastErrorMessage: "ENOTFOUND",
    };
    expect(kindsOf(evaluateAlertRules(input({ freshness: { ...failing, firstAttemptAt: hoursAgo(1) } })).changes, "fire")).toEqual([]);
    expect(kindsOf(evaluateAlertRules(input({ freshness: { ...failing, firstAttemptAt: hoursAgo(7) } })).changes, "fire")).toEqual([
      "mirror_stale/all",
    ]);
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
      expect.objectContaining({
        type: "resolve",
        alertId: untold.id,
        event: expect.objectContaining({ notified: false, quietReason: "not_notified_before" }),
      }),
      expect.objectContaining({ type: "resolve", alertId: told.id, event: expect.objectContaining({ notified: true, quietReason: null }) }),
    ]);
  });

  it("keeps a silenced alert firing but quiet, matching mirror, major and kind; the resolve still goes to those notified", () => {
    const updates8 = [...history(), update(1, "published"), update(200, ["missing"])];
    const silence = {
      id: 7,
      matchers: { mirrorId: mirror.id, major: 8, kind: "update_missing" as const },
      startsAt: hoursAgo(1),
      endsAt: hoursAgo(-1),
    };
    expect(evaluateAlertRules(input({ updates8, silences: [silence] })).changes[0]).toMatchObject({
      type: "fire",
      event: { notified: false, quietReason: "silenced:7" },
    });
    for (const other of [{ major: 9 }, { kind: "update_delayed" as const }, { mirrorId: "other" }]) {
      const miss = { ...silence, matchers: { ...silence.matchers, ...other } };
      expect(evaluateAlertRules(input({ updates8, silences: [miss] })).changes[0]).toMatchObject({ event: { notified: true } });
    }
    const expired = { ...silence, endsAt: now };
    expect(evaluateAlertRules(input({ updates8, silences: [expired] })).changes[0]).toMatchObject({ event: { notified: true } });
    const told = firing("update_missing", 8, { items: [] });
    expect(evaluateAlertRules(input({ silences: [silence], firing: [told] })).changes[0]).toMatchObject({
      type: "resolve",
      event: { notified: true },
    });
  });

  it("tells an alert that fired silenced once the silence is over", () => {
    const updates8 = [...history(), update(1, "published"), update(200, ["missing"])];
    const details = detailsNow({ updates8 }, "update_missing");
    const alert = firing("update_missing", 8, details, { notifiedAt: null, lastNotifiedAt: null, lastNotifiedAdvisoryIds: null });
    expect(evaluateAlertRules(input({ updates8, firing: [alert] })).changes[0]).toMatchObject({
      type: "update",
      events: [{ type: "reminder", notified: true }],
    });
  });

  it("notifies growth at most once per group interval, and sends the held-back change once it has passed", () => {
    const base = [...history(), update(1, "published")];
    const first = update(200, ["missing"]);
    const second = update(190, ["missing"]);
    const before = detailsNow({ updates8: [...base, first] }, "update_missing");
    const recent = firing("update_missing", 8, before, { lastNotifiedAt: new Date(now.getTime() - 30 * 60_000) });
    const grown = evaluateAlertRules(input({ updates8: [...base, first, second], firing: [recent] })).changes[0];
    expect(grown).toMatchObject({
      type: "update",
      events: [{ type: "grew", notified: false, quietReason: "group_interval", details: { added: [second.advisoryId], removed: [] } }],
    });

    const after = detailsNow({ updates8: [...base, first, second] }, "update_missing");
    const heldBack = firing("update_missing", 8, after, { lastNotifiedAt: hoursAgo(1), lastNotifiedAdvisoryIds: [first.advisoryId] });
    const flushed = evaluateAlertRules(input({ updates8: [...base, first, second], firing: [heldBack] })).changes[0];
    expect(flushed).toMatchObject({
      type: "update",
      events: [{ type: "grew", notified: true, details: { added: [second.advisoryId], removed: [] } }],
    });

    const old = firing("update_missing", 8, after, { lastNotifiedAt: hoursAgo(2) });
    const shrunk = evaluateAlertRules(
      input({
        updates8: [
          ...base,
          first,
          { ...second, packages: [{ ...second.packages[0], status: "published", lagSeconds: 3600 }], publishedAt: now },
        ],
        firing: [old],
      }),
    ).changes[0];
    expect(shrunk).toMatchObject({
      type: "update",
      events: [{ type: "shrank", notified: true, details: { added: [], removed: [second.advisoryId] } }],
    });
  });

  it("reminds every repeat interval while the alert fires and was notified, not while it is inhibited or silenced", () => {
    const updates8 = [...history(), update(1, "published"), update(200, ["missing"])];
    const details = detailsNow({ updates8 }, "update_missing");
    const due = firing("update_missing", 8, details, { lastNotifiedAt: hoursAgo(24) });
    expect(evaluateAlertRules(input({ updates8, firing: [due] })).changes[0]).toMatchObject({
      events: [{ type: "reminder", notified: true }],
    });
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
    expect(evaluateAlertRules(input({ updates8, firing: [firing("update_missing", 8, changed)] })).changes[0]).toMatchObject({
      type: "update",
      events: [],
    });
  });
});

describe("evaluateAlertRules: partial_stop", () => {
  const KEPT = ["bash", "curl", "zlib"];
  /** Renames the packages of an update (one per package). */
  const named = (entry: CarriedAdvisory, ...names: string[]): CarriedAdvisory => ({
    ...entry,
    packages: entry.packages.map((pkg, index) => ({ ...pkg, name: names[index], nevra: `${names[index]}-0:1.0-1.el8` })),
  });
  /**
   * history(): 30 updates published normally (the last 140 h ago) — then 20 due updates, one every 6 h from 130 h ago,
   * of which the mirror publishes only bash, curl and zlib (`keptAt`; the newest, 16 h ago, is one of them).
   */
  function partialScenario(keptAt: number[] = [4, 12, 19]) {
    const window = Array.from({ length: 20 }, (_, index) => {
      const age = 130 - index * 6;
      return keptAt.includes(index)
        ? named(update(age, "published", { lagHours: 2 }), KEPT[keptAt.indexOf(index) % KEPT.length])
        : named(update(age, [age >= 48 ? "delayed" : "pending"]), `gone-${String(index).padStart(2, "0")}`);
    });
    return { window, updates8: [...history(), ...window] };
  }

  it("fires when the mirror publishes 3 packages and stops the rest, names them, and folds the per-update alerts into it", () => {
    const { window, updates8 } = partialScenario();
    const { changes } = evaluateAlertRules(input({ updates8 }));
    expect(changes.map((change) => `${change.type}:${change.kind}`)).toEqual(["fire:partial_stop", "fire:update_delayed"]);
    const partial = changes[0];
    if (partial.type !== "fire") throw new Error("no fire");
    const stopped = window.filter((entry) => entry.publishedAt === null).map((entry) => entry.packages[0].name);
    expect(partial.key).toBe("partial_stop/git.centos.org/8");
    expect(partial.summary).toBe(
      `git.centos.org published 3 of the last 20 RHEL 8 updates (normally 20 of 20); these packages stopped: ${stopped.slice(0, 8).join(", ")}, … (+9 more)`,
    );
    expect(partial.details.partialStop).toEqual({
      windowSize: 20,
      publishedInWindow: 3,
      baselineSize: 20,
      publishedInBaseline: 20,
      normalLagHours: 6,
      stoppedPackages: stopped,
      keptPackages: KEPT,
    });
    expect(partial.details.items.map((item) => item.advisoryId)).toEqual(
      window.filter((entry) => entry.publishedAt === null).map((entry) => entry.advisoryId),
    );
    expect(partial.details.items.every((item) => item.packages.every((pkg) => pkg.status !== "published"))).toBe(true);
    expect(partial).toMatchObject({ inhibitedByKey: null, event: { type: "fired", notified: true } });
    expect(changes[1]).toMatchObject({
      inhibitedByKey: "partial_stop/git.centos.org/8",
      event: { notified: false, quietReason: "inhibited" },
    });
  });

  it("fires exactly when the share crosses the threshold, naming at most 8 stopped packages in the summary", () => {
    // 10 of 20 published: exactly half the normal share — not below it.
    const half = partialScenario([1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
    expect(kindsOf(evaluateAlertRules(input({ updates8: half.updates8 })).changes, "fire")).toEqual(["update_delayed/8"]);
    const nine = partialScenario([3, 5, 7, 9, 11, 13, 15, 17, 19]);
    const { changes } = evaluateAlertRules(input({ updates8: nine.updates8 }));
    expect(kindsOf(changes, "fire")).toEqual(["partial_stop/8", "update_delayed/8"]);
    expect(changes[0].type === "fire" && changes[0].summary).toBe(
      "git.centos.org published 9 of the last 20 RHEL 8 updates (normally 20 of 20); these packages stopped: gone-00, gone-01, gone-02, gone-04, gone-06, gone-08, gone-10, gone-12, … (+3 more)",
    );
    // Two packages, updated again and again: both named, nothing more.
    const twoNames = nine.window.map((entry, index) => (entry.publishedAt ? entry : named(entry, index % 2 ? "kernel" : "glibc")));
    const few = evaluateAlertRules(input({ updates8: [...history(), ...twoNames] })).changes[0];
    expect(few.type === "fire" && few.summary).toBe(
      "git.centos.org published 9 of the last 20 RHEL 8 updates (normally 20 of 20); these packages stopped: glibc, kernel",
    );
  });

  it("does not fire while publishing_stopped fires for the major: the stop says it all and inhibits the per-update alerts", () => {
    const { updates8 } = partialScenario([0, 1, 2]);
    const { changes } = evaluateAlertRules(input({ updates8 }));
    expect(kindsOf(changes, "fire")).toEqual(["publishing_stopped/8", "update_delayed/8"]);
    expect(changes[1]).toMatchObject({ inhibitedByKey: "publishing_stopped/git.centos.org/8" });
  });

  it("grows as more stopped updates come due, and resolves when the mirror catches up — the folded alerts with it", () => {
    const { window, updates8 } = partialScenario();
    const details = detailsNow({ updates8 }, "partial_stop");
    const partial = firing("partial_stop", 8, details);
    const delayed = firing("update_delayed", 8, detailsNow({ updates8 }, "update_delayed"), { inhibitedById: partial.id });
    expect(evaluateAlertRules(input({ updates8, firing: [partial, delayed] })).changes).toEqual([]);

    // One more stopped update is due: the window slides (the oldest, gone-00, leaves) and a new one comes in.
    const more = named(update(10, ["pending"]), "gone-20");
    const grown = evaluateAlertRules(input({ updates8: [...updates8, more], firing: [partial, delayed] })).changes;
    const partialChange = grown.find((change) => change.kind === "partial_stop");
    expect(partialChange).toMatchObject({
      type: "update",
      events: [{ type: "grew", notified: true, details: { added: [more.advisoryId], removed: [window[0].advisoryId] } }],
    });
    // Still pending: nothing of it is delayed yet, so the folded alert does not change.
    expect(grown.filter((change) => change.kind === "update_delayed")).toEqual([]);

    // The mirror imports everything: the partial stop resolves, and so does the folded alert, telling those it told.
    const caughtUp = [
      ...history(),
      ...window.map((entry) =>
        entry.publishedAt ? entry : update(Math.round((now.getTime() - entry.issuedAt.getTime()) / HOUR_MS), "published", { lagHours: 3 }),
      ),
    ];
    const resolved = evaluateAlertRules(input({ updates8: caughtUp, firing: [partial, delayed] })).changes;
    expect(resolved.map((change) => `${change.type}:${change.kind}`)).toEqual(["resolve:partial_stop", "resolve:update_delayed"]);
    expect(resolved[0]).toMatchObject({ event: { type: "resolved", notified: true } });
  });

  it("keeps firing, against the normal share it fired with, when the stop outlasts two windows", () => {
    const { window } = partialScenario();
    // Twenty more due updates of which only the kept packages arrive: the updates before the window are now stopped ones.
    const later = Array.from({ length: 20 }, (_, index) => {
      const age = 12 + (19 - index) * 0.5;
      return [4, 12, 19].includes(index)
        ? named(update(age, "published", { lagHours: 1 }), KEPT[[4, 12, 19].indexOf(index)])
        : named(update(age, ["pending"]), `late-${index}`);
    });
    const shifted = [
      ...window.map((entry) => ({
        ...entry,
        issuedAt: new Date(entry.issuedAt.getTime() - 200 * HOUR_MS),
        publishedAt: entry.publishedAt && new Date(entry.publishedAt.getTime() - 200 * HOUR_MS),
      })),
      ...later,
    ];
    const updates8 = [
      ...history().map((entry) => ({
        ...entry,
        issuedAt: new Date(entry.issuedAt.getTime() - 200 * HOUR_MS),
        publishedAt: entry.publishedAt && new Date(entry.publishedAt.getTime() - 200 * HOUR_MS),
      })),
      ...shifted,
    ];
    expect(kindsOf(evaluateAlertRules(input({ updates8 })).changes, "fire")).not.toContain("partial_stop/8");
    const partial = firing("partial_stop", 8, detailsNow({ updates8: partialScenario().updates8 }, "partial_stop"));
    const { changes } = evaluateAlertRules(input({ updates8, firing: [partial] }));
    const change = changes.find((candidate) => candidate.kind === "partial_stop");
    expect(change).toMatchObject({
      type: "update",
      details: { partialStop: { publishedInWindow: 3, baselineSize: 20, publishedInBaseline: 20 } },
    });
    expect(change?.type === "update" && change.summary).toMatch(
      /^git\.centos\.org published 3 of the last 20 RHEL 8 updates \(normally 20 of 20\)/,
    );
  });

  it("moves the folded per-update alerts to the full stop when a partial stop becomes one", () => {
    const { updates8 } = partialScenario();
    const partial = firing("partial_stop", 8, detailsNow({ updates8 }, "partial_stop"));
    const delayed = firing("update_delayed", 8, detailsNow({ updates8 }, "update_delayed"), { inhibitedById: partial.id });
    // The three kept packages stop too: nothing since the last of them, and the newest updates are overdue.
    const stopped = [
      ...updates8,
      named(update(13, ["pending"]), "late-1"),
      named(update(12, ["pending"]), "late-2"),
      named(update(8, ["pending"]), "late-3"),
    ];
    const { changes } = evaluateAlertRules(input({ updates8: stopped, firing: [partial, delayed] }));
    expect(changes.map((change) => `${change.type}:${change.kind}`)).toEqual([
      "fire:publishing_stopped",
      "resolve:partial_stop",
      "update:update_delayed",
    ]);
    expect(changes[2]).toMatchObject({ inhibitedByKey: "publishing_stopped/git.centos.org/8" });
    if (changes[2].type !== "update") throw new Error("no update");
    expect(changes[2].events.every((event) => !event.notified)).toBe(true);
  });

  it("keeps the per-update alerts folded into it quiet while it fires, and never fires it for a stale mirror", () => {
    const { updates8 } = partialScenario();
    const stale = { ...fresh, lastSuccessAt: hoursAgo(10), lastFailureAt: hoursAgo(1) };
    expect(kindsOf(evaluateAlertRules(input({ updates8, freshness: stale })).changes, "fire")).toEqual(["mirror_stale/all"]);
    const missing = firing("update_delayed", 8, { items: [] });
    const { changes } = evaluateAlertRules(input({ updates8, firing: [missing] }));
    expect(changes.find((change) => change.kind === "update_delayed")).toMatchObject({
      type: "update",
      inhibitedByKey: "partial_stop/git.centos.org/8",
      events: [
        { type: "inhibited", notified: false },
        { type: "grew", notified: false, quietReason: "inhibited" },
      ],
    });
  });
});

describe("evaluateAlertRules properties", () => {
  const statusArb = fc.constantFrom("published", "pending", "delayed", "missing", "unknown");
  const updateArb = fc.record({
    issuedHoursAgo: fc.integer({ min: 0, max: 24 * 60 }),
    statuses: fc.array(statusArb, { minLength: 1, maxLength: 3 }),
    lagHours: fc.integer({ min: 0, max: 150 }),
  });
  const kindArb = fc.constantFrom<AlertKind>("publishing_stopped", "partial_stop", "update_missing", "update_delayed", "mirror_stale");
  const scenarioArb = fc.record({
    updates: fc.array(updateArb, { maxLength: 40 }),
    isStale: fc.boolean(),
    firingKinds: fc.uniqueArray(fc.record({ kind: kindArb, notified: fc.boolean(), inhibited: fc.boolean() }), {
      selector: (alert) => alert.kind,
      maxLength: 4,
    }),
    silenced: fc.boolean(),
  });
  type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;
  const build = (scenario: Scenario) => {
    const updates8 = scenario.updates.map((item) => {
      const isPublished = item.statuses.every((status) => status === "published");
      return isPublished
        ? update(item.issuedHoursAgo, "published", { lagHours: Math.min(item.lagHours, item.issuedHoursAgo) })
        : update(item.issuedHoursAgo, item.statuses);
    });
    const freshness = scenario.isStale ? { ...fresh, lastSuccessAt: hoursAgo(10), lastFailureAt: hoursAgo(1) } : fresh;
    const alerts = scenario.firingKinds.map(({ kind, notified, inhibited }) =>
      firing(
        kind,
        kind === "mirror_stale" ? null : 8,
        { items: [] },
        notified
          ? { inhibitedById: inhibited && kind.startsWith("update") ? 1 : null }
          : {
              notifiedAt: null,
              lastNotifiedAt: null,
              lastNotifiedAdvisoryIds: null,
              inhibitedById: inhibited && kind.startsWith("update") ? 1 : null,
            },
      ),
    );
    const silences = scenario.silenced
      ? [{ id: 3, matchers: { kind: "update_missing" as const }, startsAt: hoursAgo(1), endsAt: hoursAgo(-1) }]
      : [];
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

  it("explains every quiet event and never notifies a per-update alert while its mirror × major has stopped publishing, fully or partly", () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const { input: rulesInput } = build(scenario);
        const { changes } = evaluateAlertRules(rulesInput);
        const isWanted = (kind: AlertKind) =>
          changes.some((change) => change.kind === kind && change.type !== "resolve") ||
          (rulesInput.firing.some((alert) => alert.kind === kind) &&
            !changes.some((change) => change.kind === kind && change.type === "resolve"));
        const isStopWanted = isWanted("publishing_stopped") || isWanted("partial_stop");
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
    publishedAt: status === "published" && lagHours !== null ? hoursAgo(100 - lagHours) : null,
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

  it("never takes our own time (since) for an update published before tracking: its release is the lower bound, and its lag is unknown", () => {
    const grouped = groupCarriedAdvisories([
      row("A", 8, "published", null, "a"),
      row("B", 8, "published", null, "a"),
      row("B", 8, "published", 5, "b"),
    ]);
    expect(grouped.get(8)).toEqual([
      expect.objectContaining({ advisoryId: "A", publishedAt: hoursAgo(100), isPublishedBeforeTracking: true }),
      expect.objectContaining({ advisoryId: "B", publishedAt: hoursAgo(95), isPublishedBeforeTracking: true }),
    ]);
    expect(listPublishedLags(grouped)).toEqual([]);
    const open = groupCarriedAdvisories([row("C", 8, "published", null, "a"), row("C", 8, "missing", null, "b")]);
    expect(open.get(8)).toEqual([expect.objectContaining({ publishedAt: null, isPublishedBeforeTracking: false })]);
  });
});

describe("evaluateAlertRules on alerts read back from the database", () => {
  const updates8 = [...history(), update(1, "published"), update(400, ["missing"]), update(300, ["missing"])];
  const reverseKeys = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(reverseKeys)
      : typeof value === "object" && value !== null
        ? Object.fromEntries(
            Object.entries(value)
              .reverse()
              .map(([key, item]) => [key, reverseKeys(item)]),
          )
        : value;

  it("sees no change in a firing alert whose evidence went through the codec", () => {
    const stored = decodeAlertDetails(encodeAlertDetails(detailsNow({ updates8 }, "update_missing")), { table: "Alert", id: 1 });
    expect(evaluateAlertRules(input({ updates8, firing: [firing("update_missing", 8, stored)] })).changes).toEqual([]);
  });

  it("sees no change in evidence that only lists its keys in another order", () => {
    const reordered = reverseKeys(detailsNow({ updates8 }, "update_missing")) as AlertDetails;
    expect(evaluateAlertRules(input({ updates8, firing: [firing("update_missing", 8, reordered)] })).changes).toEqual([]);
  });
});
