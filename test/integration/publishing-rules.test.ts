import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MirrorConfig, SrcwatchConfig } from "../../core/config";
import { evaluateAlerts } from "../../server/alerts/evaluate-alerts";
import { readMirrorPublishing } from "../../server/alerts/read-mirror-publishing";
import { parseConfig } from "../../server/config/load-config";
import { setConfigForTests } from "../../server/config/get-config";
import { setDbForTests, type Db } from "../../server/db/client";
import { syncConfiguredMirrors } from "../../server/mirrors/sync-configured-mirrors";
import { getMirrorHistory } from "../../server/read/get-mirror-history";
import { MirrorHistoryQuery } from "../../contract/mirror-history-dto";
import { evaluateMirrorVerdicts } from "../../server/verdicts/evaluate-mirror-verdicts";
import { createTestDatabase, testDatabaseProvider, type TestDatabase } from "../support/test-database";
import { decodeAlertDetails } from "../../core/alerts/alert-details-codec";
import { encodeSubscriptionScope } from "../../core/subscription-scope";
import { refreshUpdatesOf } from "../support/refresh-updates-of";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const POLL_INTERVAL_MS = 30 * MINUTE_MS;
const SLOW_TEST_MS = 240_000;

function listingMirror(id: string, name: string, overrides: Record<string, unknown> = {}) {
  return {
    id,
    kind: "yum-repo",
    name,
    majors: [8],
    repoUrlTemplates: [`http://127.0.0.1:1/${id}/{major}/`],
    expectedLagHours: 48,
    missingAfterHours: 168,
    staleAfterMinutes: 360,
    ...overrides,
  };
}

function makeConfig(mirrors: Record<string, unknown>[]): SrcwatchConfig {
  return parseConfig({
    upstreams: [{ id: "feed", kind: "csaf", name: "Feed", baseUrl: "http://127.0.0.1:1/", startDate: "2023-01-01", majors: [8] }],
    mirrors,
  });
}

let advisoryCount = 0;
/** One RHEL 8 advisory shipping one package, as an upstream poll records it. */
async function recordAdvisory(
  db: Db,
  input: { issuedAt: Date; name: string; recordedAt?: Date },
): Promise<{ advisoryId: string; version: string }> {
  const advisoryId = `RHSA-2024:${String(1000 + advisoryCount++)}`;
  const version = `1.${advisoryCount}`;
  await db.advisory.create({
    data: {
      id: advisoryId,
      upstreamId: "feed",
      type: "RHSA",
      severity: "Important",
      title: `Important: ${input.name} security update`,
      issuedAt: input.issuedAt,
      updatedAt: input.issuedAt,
      url: `https://access.redhat.com/errata/${advisoryId}`,
      fetchedAt: input.recordedAt ?? input.issuedAt,
      packages: {
        create: [
          {
            name: input.name,
            epoch: 0,
            version,
            release: "1.el8",
            major: 8,
            stream: "main",
            recordedAt: input.recordedAt ?? input.issuedAt,
          },
        ],
      },
    },
  });
  return { advisoryId, version };
}

/** A verdict written directly, as the verdict engine would have: published with a known time, before tracking, or open. */
async function seedVerdict(
  db: Db,
  mirrorId: string,
  input: { issuedAt: Date; name?: string; state: "published" | "before_tracking" | "missing"; publishedAt?: Date; since: Date },
): Promise<string> {
  const { advisoryId } = await recordAdvisory(db, { issuedAt: input.issuedAt, name: input.name ?? `pkg${advisoryCount}` });
  const pkg = await db.package.findFirstOrThrow({ where: { advisoryId }, select: { id: true } });
  const publishedAt = input.state === "published" ? input.publishedAt! : null;
  await db.verdict.create({
    data: {
      packageId: pkg.id,
      mirrorId,
      status: input.state === "missing" ? "missing" : "published",
      lagSeconds: publishedAt ? Math.round((publishedAt.getTime() - input.issuedAt.getTime()) / 1000) : null,
      publishedAt,
      lagTimeOrigin: input.state === "published" ? "erratum_date" : input.state === "before_tracking" ? "before_tracking" : null,
      since: input.since,
      evaluatedAt: input.since,
    },
  });
  await refreshUpdatesOf(db, mirrorId, [advisoryId], input.since);
  return advisoryId;
}

async function markPolled(db: Db, mirrorId: string, at: Date): Promise<void> {
  await db.sourceState.upsert({
    where: { sourceId: mirrorId },
    create: { sourceId: mirrorId, sourceKind: "mirror", lastSuccessAt: at, lastCheckedAllAt: at },
    update: { lastSuccessAt: at, lastCheckedAllAt: at },
  });
  await db.pollRun.create({ data: { sourceId: mirrorId, sourceKind: "mirror", startedAt: at, finishedAt: at, outcome: "success" } });
}

const findFiring = (db: Db, kind: string, mirrorId: string) =>
  db.alert.findFirst({ where: { kind, mirrorId, major: 8, status: "firing" } });

describe(`one rule for "stopped": the mirror page and the alert (${testDatabaseProvider()})`, () => {
  const now = new Date("2023-10-05T00:00:00Z");
  const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const config = makeConfig([listingMirror("long-stop", "Long Stop"), listingMirror("old-mirror", "Old Mirror")]);
  const [longStop, oldMirror] = config.mirrors;
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
    const { db } = database;
    await syncConfiguredMirrors(db, config);
    for (const mirror of [longStop, oldMirror]) await markPolled(db, mirror.id, new Date(now.getTime() - 10 * MINUTE_MS));

    // Long Stop: 65 updates published 3 h after release, 190 to 126 days ago; its last publication 122 days ago —
    // a verdict re-evaluated yesterday (its `since` is ours, not the publication); then 10 updates it never published.
    for (let day = 190; day > 125; day--)
      await seedVerdict(db, longStop.id, {
        issuedAt: daysAgo(day),
        state: "published",
        publishedAt: new Date(daysAgo(day).getTime() + 3 * HOUR_MS),
        since: daysAgo(day),
      });
    await seedVerdict(db, longStop.id, { issuedAt: daysAgo(123), state: "published", publishedAt: daysAgo(122), since: daysAgo(1) });
    // Published long ago, first seen by us much later (before tracking): no publication time — its release is the bound.
    await seedVerdict(db, longStop.id, { issuedAt: daysAgo(400), state: "before_tracking", since: daysAgo(2) });
    for (let day = 120; day > 0; day -= 12)
      await seedVerdict(db, longStop.id, { issuedAt: daysAgo(day), state: "missing", since: daysAgo(day - 7) });

    // Old Mirror: we only ever saw it with what it had when tracking began (no times), the last released 100 days ago.
    for (const day of [130, 115, 100])
      await seedVerdict(db, oldMirror.id, { issuedAt: daysAgo(day), state: "before_tracking", since: daysAgo(1) });
    for (const day of [90, 60, 30, 10])
      await seedVerdict(db, oldMirror.id, { issuedAt: daysAgo(day), state: "missing", since: daysAgo(day - 7) });

    for (const mirror of [longStop, oldMirror]) await evaluateAlerts(db, { mirror, config, now });
    setDbForTests(db);
    setConfigForTests(config);
  });
  afterAll(async () => {
    setDbForTests(undefined);
    setConfigForTests(undefined);
    await database?.drop();
  });

  it("still names the real last publication 120 days into a stop, beyond the 90-day history window", async () => {
    const alert = await findFiring(database.db, "publishing_stopped", longStop.id);
    expect(alert?.summary).toBe("Long Stop stopped publishing RHEL 8: nothing since 2023-06-05, 10 updates overdue");
    const { stop } = decodeAlertDetails(alert!.details, { table: "Alert", id: alert!.id });
    expect(stop).toMatchObject({
      lastPublishedAt: daysAgo(122).toISOString(),
      normalLagSource: "configured",
      normalLagHours: 48,
      historySize: 0,
      releasedSinceCount: 10,
    });

    const history = await getMirrorHistory(longStop.id, MirrorHistoryQuery.parse({}), { now });
    expect(history.publishing.majors).toEqual([expect.objectContaining({ major: 8, partialStop: null })]);
    expect(history.publishing.majors[0].stop).toEqual({
      stoppedAt: stop!.lastPublishedAt,
      lastPublishedAt: stop!.lastPublishedAt,
      releasedSinceCount: stop!.releasedSinceCount,
      overdueSinceCount: stop!.overdueSinceCount,
      minOverdueUpdates: longStop.alerts.stoppedMinOverdueUpdates,
    });
    expect(history.publishing.normalLag).toEqual({
      hours: stop!.normalLagHours,
      source: stop!.normalLagSource,
      percentile: stop!.percentile,
      historySize: stop!.historySize,
    });
  });

  it("takes what a mirror had before tracking as published no later than known: its release, never our first look", async () => {
    const alert = await findFiring(database.db, "publishing_stopped", oldMirror.id);
    const { stop } = decodeAlertDetails(alert!.details, { table: "Alert", id: alert!.id });
    expect(stop).toMatchObject({ lastPublishedAt: daysAgo(100).toISOString(), releasedSinceCount: 4, historySize: 0 });
    expect(alert!.summary).toContain("nothing since 2023-06-27");
    const history = await getMirrorHistory(oldMirror.id, MirrorHistoryQuery.parse({}), { now });
    expect(history.publishing.majors[0].stop.stoppedAt).toBe(daysAgo(100).toISOString());
  });

  it("reads the same for the page and the alert rule, with bounded reads: old publications outside the window are not loaded", async () => {
    const { updatesByMajor, publishing } = await readMirrorPublishing(database.db, longStop, now);
    // The last 2 × partialStopWindow due updates (the 10 open ones, the last publication and 29 before it) and the one
    // the mirror had before tracking — not the 36 older publications, nor anything else of the mirror's past.
    const loaded = updatesByMajor.get(8)!;
    expect(loaded).toHaveLength(2 * longStop.alerts.partialStopWindow + 1);
    expect(loaded.filter((update) => update.publishedAt === null)).toHaveLength(10);
    expect(publishing.majors[0].stop.stoppedAt).toEqual(daysAgo(122));
    expect(publishing.majors[0].share).toEqual({ windowSize: 20, publishedInWindow: 10, baselineSize: 20, publishedInBaseline: 20 });
  });
});

/**
 * OpenELA-like: a mirror that publishes every update an hour after release, then — like a real public mirror in 2024 —
 * keeps publishing three packages (bash, curl, zlib) and stops the rest. Upstream releases an update every 2 hours,
 * one package each, names in a cycle where every third is a kept one; srcwatch polls every 30 minutes.
 */
describe(`a partial stop on a real database: three packages keep arriving, the rest stop (${testDatabaseProvider()})`, () => {
  const STOP_AT = new Date("2024-03-04T00:00:00Z");
  const START = new Date(STOP_AT.getTime() - 80 * HOUR_MS);
  const KEPT = ["bash", "curl", "zlib"];
  const OTHERS = ["glibc", "kernel", "nss", "openssl", "perl", "python3", "sudo", "systemd", "tar", "vim"];
  /** bash, glibc, kernel, curl, nss, openssl, zlib, perl, python3, bash, … */
  const nameOf = (index: number) => (index % 3 === 0 ? KEPT[(index / 3) % 3] : OTHERS[(index - Math.ceil(index / 3)) % OTHERS.length]);
  const config = makeConfig([listingMirror("openela", "OpenELA", { pollIntervalSeconds: 1800 })]);
  const mirror: MirrorConfig = config.mirrors[0];
  let database: TestDatabase;
  let db: Db;
  let index = 0;
  let partialAlertId: number;
  let now = STOP_AT;

  /** One poll cycle at `at`: upstream brings what was released, the mirror poll finds what it imported, then verdicts and alerts. */
  async function pollAt(at: Date, previous: Date) {
    while (START.getTime() + index * 2 * HOUR_MS <= at.getTime()) {
      const issuedAt = new Date(START.getTime() + index * 2 * HOUR_MS);
      const name = nameOf(index);
      const { version } = await recordAdvisory(db, { issuedAt, name, recordedAt: at });
      const importAt = new Date(issuedAt.getTime() + HOUR_MS);
      if (issuedAt < STOP_AT || KEPT.includes(name)) pendingImports.push({ name, version, importAt });
      index++;
    }
    for (const item of pendingImports.filter((candidate) => candidate.importAt <= at)) {
      await db.evidence.create({
        data: {
          mirrorId: mirror.id,
          name: item.name,
          epoch: 0,
          version: item.version,
          release: "1.el8",
          major: 8,
          kind: "srpm",
          ref: `${item.name}-${item.version}-1.el8.src.rpm`,
          firstSeenAt: at,
          publishedAt: item.importAt,
          publishedAtOrigin: "erratum_date",
          lastAbsentAt: previous,
        },
      });
    }
    pendingImports = pendingImports.filter((candidate) => candidate.importAt > at);
    await markPolled(db, mirror.id, at);
    await evaluateMirrorVerdicts(db, { mirror, now: at });
    await evaluateAlerts(db, { mirror, config, now: at });
  }
  let pendingImports: { name: string; version: string; importAt: Date }[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    await syncConfiguredMirrors(db, config);
    await db.subscription.create({
      data: {
        email: "sig@example.org",
        status: "active",
        scope: encodeSubscriptionScope({ kinds: ["publishing_stopped", "partial_stop", "update_missing", "update_delayed"] }),
        createdAt: START,
        confirmedAt: START,
      },
    });
    // Before the stop, hour by hour (every update published an hour after release).
    let previous = new Date(START.getTime() - HOUR_MS);
    for (let at = START; at <= STOP_AT; at = new Date(at.getTime() + HOUR_MS)) {
      await pollAt(at, previous);
      previous = at;
    }
    setDbForTests(db);
    setConfigForTests(config);
  }, SLOW_TEST_MS);
  afterAll(async () => {
    setDbForTests(undefined);
    setConfigForTests(undefined);
    await database?.drop();
  });

  it(
    "fires partial_stop within one poll of its threshold, naming the stopped packages, and never a full stop",
    async () => {
      expect(await db.alert.count()).toBe(0);
      let ruleFirstAt: Date | null = null;
      let firedAt: Date | null = null;
      while (!firedAt && now < new Date(STOP_AT.getTime() + 4 * DAY_MS)) {
        const previous = now;
        now = new Date(now.getTime() + POLL_INTERVAL_MS);
        await pollAt(now, previous);
        if (!ruleFirstAt && (await readMirrorPublishing(db, mirror, now)).publishing.majors[0].partialStop) ruleFirstAt = now;
        if (await findFiring(db, "partial_stop", mirror.id)) firedAt = now;
        expect(await findFiring(db, "publishing_stopped", mirror.id)).toBeNull();
      }
      console.log(
        `partial_stop fired at ${firedAt?.toISOString()} (rule first true at ${ruleFirstAt?.toISOString()}), ${(now.getTime() - STOP_AT.getTime()) / HOUR_MS} h after the stop`,
      );
      expect(ruleFirstAt).not.toBeNull();
      expect(firedAt).not.toBeNull();
      expect(firedAt!.getTime() - ruleFirstAt!.getTime()).toBeLessThanOrEqual(POLL_INTERVAL_MS);

      const alert = (await findFiring(db, "partial_stop", mirror.id))!;
      partialAlertId = alert.id;
      const { partialStop, items } = decodeAlertDetails(alert.details, { table: "Alert", id: alert.id });
      console.log(alert.summary, JSON.stringify(partialStop));
      // Normal: 20 of 20. Fires as the window's share drops below half of it: 9 of 20.
      expect(partialStop).toMatchObject({
        windowSize: 20,
        baselineSize: 20,
        publishedInBaseline: 20,
        publishedInWindow: 9,
        normalLagHours: 6,
      });
      // Kept: bash, curl and zlib — and names whose update from before the stop is still in the window.
      expect(partialStop!.keptPackages).toEqual(expect.arrayContaining(KEPT));
      expect(partialStop!.stoppedPackages.length).toBeGreaterThanOrEqual(5);
      expect(partialStop!.stoppedPackages.every((name) => OTHERS.includes(name) && !partialStop!.keptPackages.includes(name))).toBe(true);
      expect(partialStop!.stoppedPackages).toEqual([...partialStop!.stoppedPackages].sort());
      expect(alert.summary).toBe(
        `OpenELA published 9 of the last 20 RHEL 8 updates (normally 20 of 20); these packages stopped: ${partialStop!.stoppedPackages.slice(0, 8).join(", ")}` +
          (partialStop!.stoppedPackages.length > 8 ? `, … (+${partialStop!.stoppedPackages.length - 8} more)` : ""),
      );
      expect(items).toHaveLength(11);
      expect(items.every((item) => item.packages.every((pkg) => OTHERS.includes(pkg.name)))).toBe(true);
      // The threshold: the update that tipped the share came due (release + normal lag) in the poll interval before.
      const tipping = [...items].sort((a, b) => b.issuedAt.localeCompare(a.issuedAt))[0];
      const dueAt = Date.parse(tipping.issuedAt) + partialStop!.normalLagHours * HOUR_MS;
      expect(firedAt!.getTime() - dueAt).toBeGreaterThanOrEqual(0);
      expect(firedAt!.getTime() - dueAt).toBeLessThan(POLL_INTERVAL_MS);

      const fired = await db.alertEvent.findFirstOrThrow({ where: { alertId: alert.id, type: "fired" } });
      expect(fired.notified).toBe(true);
      expect(await db.outboxMessage.count({ where: { alertEventId: fired.id } })).toBe(1);

      // The page, at the same instant: the same numbers.
      const history = await getMirrorHistory(mirror.id, MirrorHistoryQuery.parse({}), { now });
      expect(history.publishing.majors[0].partialStop).toEqual(partialStop);
      expect(history.publishing.majors[0].stop.stoppedAt).toBeNull();
    },
    SLOW_TEST_MS,
  );

  it(
    "keeps the per-update alerts it explains quiet: delayed, then missing, folded into it",
    async () => {
      expect(partialAlertId).toBeDefined();
      const firedAt = now;
      // On to 8 days after the stop: the first stopped updates are delayed (48 h), then missing (168 h).
      while (now < new Date(STOP_AT.getTime() + 8 * DAY_MS)) {
        const previous = now;
        now = new Date(now.getTime() + 3 * HOUR_MS);
        await pollAt(now, previous);
        expect(await findFiring(db, "partial_stop", mirror.id)).toMatchObject({ id: partialAlertId });
      }
      const folded = await db.alert.findMany({ where: { mirrorId: mirror.id, kind: { in: ["update_missing", "update_delayed"] } } });
      expect(folded.map((alert) => [alert.kind, alert.status, alert.inhibitedById]).sort()).toEqual([
        ["update_delayed", "firing", partialAlertId],
        ["update_missing", "firing", partialAlertId],
      ]);
      const missing = folded.find((alert) => alert.kind === "update_missing")!;
      expect(decodeAlertDetails(missing.details, { table: "Alert", id: missing.id }).items.length).toBeGreaterThan(0);
      const events = await db.alertEvent.findMany({ where: { alertId: { in: folded.map((alert) => alert.id) } } });
      expect(events.length).toBeGreaterThan(0);
      expect(events.filter((event) => event.notified)).toEqual([]);
      expect(events.every((event) => event.quietReason === "inhibited")).toBe(true);
      expect(await db.outboxMessage.count({ where: { alertId: { in: folded.map((alert) => alert.id) } } })).toBe(0);
      expect(await db.alert.count({ where: { mirrorId: mirror.id, kind: "publishing_stopped" } })).toBe(0);
      // What did notify since the fire is the partial stop itself (its list growing, reminders).
      const loud = await db.alertEvent.findMany({
        where: { at: { gt: firedAt }, notified: true },
        include: { alert: { select: { kind: true } } },
      });
      expect(loud.every((event) => event.alert.kind === "partial_stop")).toBe(true);
    },
    SLOW_TEST_MS,
  );
});
