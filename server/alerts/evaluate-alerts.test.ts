import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { decodeAlertDetails } from "../../core/alerts/alert-details-codec";
import { encodeSubscriptionScope } from "../../core/subscription-scope";
import { createTestDatabase, testDatabaseProvider, type TestDatabase } from "../../test/support/test-database";
import { parseConfig } from "../config/load-config";
import type { Db } from "../db/client";
import { syncConfiguredMirrors } from "../mirrors/sync-configured-mirrors";
import { createSilence } from "./create-silence";
import { evaluateAlerts } from "./evaluate-alerts";
import { expireSilence } from "./expire-silence";
import { listSilences } from "./list-silences";
import { refreshUpdatesOf } from "../../test/support/refresh-updates-of";

const HOUR_MS = 3_600_000;
const now = new Date("2023-06-20T12:00:00Z");
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * HOUR_MS);

const config = parseConfig({
  upstreams: [{ id: "feed", kind: "csaf", name: "Feed", baseUrl: "http://127.0.0.1:1/", startDate: "2023-01-01", majors: [8] }],
  mirrors: [
    {
      id: "forge",
      kind: "git-forge",
      name: "Forge",
      majors: [8],
      repoUrlTemplate: "http://127.0.0.1:1/{name}.git",
      tagTemplate: "imports/c{major}/{nvr}",
      tagWebUrlTemplate: "x",
      staleAfterMinutes: 360,
    },
  ],
});
const mirror = config.mirrors[0];

let advisoryCount = 0;
/** One advisory with one package for RHEL 8 and its verdict on the mirror. */
async function seedUpdate(db: Db, issuedHoursAgo: number, status: string, lagHours: number | null = null): Promise<string> {
  const id = `RHSA-2023:${2000 + advisoryCount++}`;
  const issuedAt = hoursAgo(issuedHoursAgo);
  const advisory = await db.advisory.create({
    data: {
      id,
      upstreamId: "feed",
      type: "RHSA",
      severity: "Important",
      title: `Update ${id}`,
      issuedAt,
      updatedAt: issuedAt,
      url: `https://access.redhat.com/errata/${id}`,
      fetchedAt: issuedAt,
      packages: { create: [{ name: `pkg${advisoryCount}`, epoch: 0, version: "1.0", release: "1.el8", major: 8, stream: "main" }] },
    },
    select: { packages: { select: { id: true } } },
  });
  await db.verdict.create({
    data: {
      packageId: advisory.packages[0].id,
      mirrorId: mirror.id,
      status,
      lagSeconds: lagHours === null ? null : lagHours * 3600,
      publishedAt: lagHours === null ? null : hoursAgo(issuedHoursAgo - lagHours),
      since: hoursAgo(Math.max(0, issuedHoursAgo - (lagHours ?? 0))),
      evaluatedAt: now,
    },
  });
  await refreshUpdatesOf(db, mirror.id, [id], now);
  return id;
}

async function publish(db: Db, advisoryIds: string[], at: Date) {
  for (const advisoryId of advisoryIds) {
    const { issuedAt } = await db.advisory.findUniqueOrThrow({ where: { id: advisoryId }, select: { issuedAt: true } });
    await db.verdict.updateMany({
      where: { package: { advisoryId } },
      data: {
        status: "published",
        lagSeconds: Math.round((at.getTime() - issuedAt.getTime()) / 1000),
        publishedAt: at,
        lagTimeOrigin: "tagger_date",
        since: at,
      },
    });
  }
  await refreshUpdatesOf(db, mirror.id, advisoryIds, at);
}

async function addSubscriber(db: Db, email: string) {
  return db.subscription.create({
    data: {
      email,
      status: "active",
      scope: encodeSubscriptionScope({ kinds: ["publishing_stopped", "update_missing", "update_delayed", "mirror_stale"] }),
      createdAt: hoursAgo(1000),
      confirmedAt: hoursAgo(1000),
    },
  });
}

describe(`evaluateAlerts (${testDatabaseProvider()})`, () => {
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    await syncConfiguredMirrors(db, config);
  });
  afterAll(async () => {
    await database?.drop();
  });
  beforeEach(async () => {
    await db.outboxMessage.deleteMany();
    await db.alertEvent.deleteMany();
    await db.alert.deleteMany();
    await db.silence.deleteMany();
    await db.subscription.deleteMany();
    await db.verdict.deleteMany();
    await db.mirrorUpdateCount.deleteMany();
    await db.advisory.deleteMany();
    await db.sourceState.deleteMany();
    await db.sourceState.create({ data: { sourceId: mirror.id, sourceKind: "mirror", lastSuccessAt: hoursAgo(0.5) } });
  });

  it("fires a stop for a mirror that published nothing for days, folds the missing updates into it and mails only the stop", async () => {
    const subscriber = await addSubscriber(db, "sig@example.org");
    const lastPublished = await seedUpdate(db, 300, "published", 4);
    const stalled = [await seedUpdate(db, 250, "missing"), await seedUpdate(db, 120, "delayed"), await seedUpdate(db, 100, "delayed")];

    const result = await evaluateAlerts(db, { mirror, config, now });
    expect(result).toEqual({ fired: 3, resolved: 0, changed: 0, queued: 1 });

    const alerts = await db.alert.findMany({ orderBy: { id: "asc" } });
    expect(alerts.map((alert) => [alert.kind, alert.status, alert.firingKey])).toEqual([
      ["publishing_stopped", "firing", "publishing_stopped/forge/8"],
      ["update_delayed", "firing", "update_delayed/forge/8"],
      ["update_missing", "firing", "update_missing/forge/8"],
    ]);
    const [stop, delayed, missing] = alerts;
    expect(stop.notifiedAt).toEqual(now);
    expect(decodeAlertDetails(stop.details, { table: "Alert", id: stop.id })).toMatchObject({
      items: stalled.map((advisoryId) => ({ advisoryId })),
      stop: { lastPublishedAt: hoursAgo(296).toISOString(), normalLagSource: "configured" },
    });
    expect(lastPublished).toBeTruthy();
    for (const inhibited of [delayed, missing]) {
      expect(inhibited).toMatchObject({ inhibitedById: stop.id, notifiedAt: null });
      expect(
        await db.alertEvent.findMany({ where: { alertId: inhibited.id }, select: { type: true, notified: true, quietReason: true } }),
      ).toEqual([{ type: "fired", notified: false, quietReason: "inhibited" }]);
    }
    const outbox = await db.outboxMessage.findMany();
    expect(outbox).toEqual([
      expect.objectContaining({ alertId: stop.id, subscriptionId: subscriber.id, status: "pending", kind: "alert" }),
    ]);

    expect(await evaluateAlerts(db, { mirror, config, now: new Date(now.getTime() + 1800_000) })).toEqual({
      fired: 0,
      resolved: 0,
      changed: 0,
      queued: 0,
    });
  });

  it("resolves the stop when the mirror publishes again and mails the resolve to whoever got the fire; folded alerts resolve quietly", async () => {
    await addSubscriber(db, "sig@example.org");
    await seedUpdate(db, 300, "published", 4);
    const stalled = [await seedUpdate(db, 250, "missing"), await seedUpdate(db, 120, "delayed"), await seedUpdate(db, 100, "delayed")];
    await evaluateAlerts(db, { mirror, config, now });
    const late = await addSubscriber(db, "late@example.org");

    const later = new Date(now.getTime() + HOUR_MS);
    await publish(db, stalled, now);
    expect(await evaluateAlerts(db, { mirror, config, now: later })).toMatchObject({ fired: 0, resolved: 3, queued: 1 });
    expect(await db.alert.count({ where: { status: "firing" } })).toBe(0);
    const resolvedAlerts = await db.alert.findMany({ where: { status: "resolved" }, select: { firingKey: true, resolvedAt: true } });
    expect(resolvedAlerts.every((alert) => alert.firingKey === null && alert.resolvedAt?.getTime() === later.getTime())).toBe(true);
    const resolveMails = await db.outboxMessage.findMany({
      where: { createdAt: later },
      select: { recipient: true, subscriptionId: true },
    });
    expect(resolveMails).toEqual([{ recipient: "sig@example.org", subscriptionId: expect.any(Number) }]);
    expect(resolveMails[0].subscriptionId).not.toBe(late.id);
    const quiet = await db.alertEvent.findMany({ where: { type: "resolved", notified: false }, select: { quietReason: true } });
    expect(quiet).toEqual([{ quietReason: "not_notified_before" }, { quietReason: "not_notified_before" }]);
  });

  it("raises mirror_stale, not missing, when our polls of the mirror keep failing", async () => {
    await db.sourceState.update({
      where: { sourceId: mirror.id },
      data: {
        lastSuccessAt: hoursAgo(10),
        lastFailureAt: hoursAgo(0.5),
        consecutiveFailures: 20,
        lastErrorKind: "network",
        lastErrorMessage: "socket hang up",
      },
    });
    await seedUpdate(db, 300, "published", 4);
    await seedUpdate(db, 250, "missing");
    expect(await evaluateAlerts(db, { mirror, config, now })).toMatchObject({ fired: 1 });
    expect(await db.alert.findMany({ select: { kind: true, major: true } })).toEqual([{ kind: "mirror_stale", major: null }]);
  });

  it("fires one alert when two workers evaluate the same mirror at once", async () => {
    await addSubscriber(db, "sig@example.org");
    await seedUpdate(db, 300, "published", 4);
    await seedUpdate(db, 250, "missing");
    const results = await Promise.all([evaluateAlerts(db, { mirror, config, now }), evaluateAlerts(db, { mirror, config, now })]);
    expect(results.map((result) => result.fired).sort()).toEqual([0, 1]);
    expect(await db.alert.count()).toBe(1);
    expect(await db.alertEvent.count()).toBe(1);
    expect(await db.outboxMessage.count()).toBe(1);
  });

  it("keeps a silenced alert firing without mail, and the silence's matchers, times and author are checked", async () => {
    await addSubscriber(db, "sig@example.org");
    await seedUpdate(db, 300, "published", 4);
    await seedUpdate(db, 250, "missing");
    const silence = await createSilence(db, {
      silence: {
        matchers: { mirrorId: "forge", kind: "update_missing" },
        endsAt: hoursAgo(-24).toISOString(),
        author: "ops",
        comment: "known outage",
      },
      now,
    });
    expect(silence).toMatchObject({
      state: "active",
      matchers: { mirrorId: "forge", kind: "update_missing" },
      startsAt: now.toISOString(),
    });
    await evaluateAlerts(db, { mirror, config, now });
    expect(await db.alertEvent.findMany({ select: { type: true, notified: true, quietReason: true } })).toEqual([
      { type: "fired", notified: false, quietReason: `silenced:${silence.id}` },
    ]);
    expect(await db.outboxMessage.count()).toBe(0);

    await expireSilence(db, { id: silence.id, now: hoursAgo(-1) });
    expect(await listSilences(db, { now: hoursAgo(-2), state: "expired" })).toEqual([
      expect.objectContaining({ id: silence.id, endsAt: hoursAgo(-1).toISOString() }),
    ]);
    await evaluateAlerts(db, { mirror, config, now: hoursAgo(-2) });
    expect(await db.outboxMessage.count()).toBe(1);

    const bad = async (silenceInput: unknown, message: RegExp) =>
      expect(createSilence(db, { silence: silenceInput, now })).rejects.toThrow(message);
    const good = { matchers: { major: 8 }, endsAt: hoursAgo(-1).toISOString(), author: "ops", comment: "why" };
    await bad({ ...good, matchers: {} }, /at least one matcher/);
    await bad({ ...good, matchers: { mirrorId: "nowhere" } }, /unknown mirror "nowhere"/);
    await bad({ ...good, matchers: { kind: "everything" } }, /matchers\.kind/);
    await bad({ ...good, startsAt: hoursAgo(-3).toISOString() }, /endsAt must be after startsAt/);
    await bad({ ...good, endsAt: hoursAgo(1).toISOString() }, /endsAt must be after startsAt|in the past/);
    await bad({ ...good, author: "  " }, /author is required/);
    await bad({ ...good, comment: "x".repeat(1001) }, /comment: at most 1000/);
    await expect(expireSilence(db, { id: 999_999, now })).rejects.toThrow(/no silence 999999/);
  });
});
