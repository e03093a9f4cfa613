import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getAlertRoute } from "../../app/api/v1/alerts/[id]/route";
import { GET as listAlertsRoute } from "../../app/api/v1/alerts/route";
import { setConfigForTests } from "../../server/config/get-config";
import { parseConfig } from "../../server/config/load-config";
import { setDbForTests } from "../../server/db/client";
import { NotFoundError } from "../../server/errors";
import { syncConfiguredMirrors } from "../../server/mirrors/sync-configured-mirrors";
import { AlertDetailResponse, AlertListQuery, AlertListResponse } from "../../contract/alert-dto";
import { getAlert } from "../../server/read/get-alert";
import { listAlerts } from "../../server/read/list-alerts";
import { alertItem, insertAlert } from "../support/alert-fixtures";
import { createTestDatabase, testDatabaseProvider, type TestDatabase } from "../support/test-database";
import { encodeSilenceMatchers } from "../../core/alerts/silence-matchers";
import { ALERT_KINDS } from "../../core/alerts/types";

const BASE = "http://srcwatch.test/api/v1";
const HOUR_MS = 3_600_000;
const now = new Date("2023-06-20T12:00:00Z");
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * HOUR_MS);

const config = parseConfig({
  upstreams: [{ id: "feed", kind: "csaf", name: "Feed", baseUrl: "http://127.0.0.1:1/", startDate: "2023-01-01", majors: [8, 9] }],
  mirrors: [
    {
      id: "git.centos.org",
      kind: "git-forge",
      name: "git.centos.org",
      majors: [8, 9],
      repoUrlTemplate: "http://127.0.0.1:1/{name}.git",
      tagTemplate: "imports/c{major}/{nvr}",
      tagWebUrlTemplate: "x",
    },
    {
      id: "forge",
      kind: "git-forge",
      name: "The Forge",
      majors: [8],
      repoUrlTemplate: "http://127.0.0.1:1/{name}.git",
      tagTemplate: "imports/c{major}/{nvr}",
      tagWebUrlTemplate: "x",
    },
  ],
  notifications: { publicUrl: "https://srcwatch.example.org/" },
});

describe(`alerts read side (${testDatabaseProvider()})`, () => {
  let database: TestDatabase;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    database = await createTestDatabase();
    setDbForTests(database.db);
    setConfigForTests(config);
    await syncConfiguredMirrors(database.db, config);
    const db = database.db;
    ids.stop = await insertAlert(db, {
      kind: "publishing_stopped",
      mirrorId: "git.centos.org",
      major: 8,
      status: "firing",
      startsAt: hoursAgo(30),
      severity: "Important",
      summary: "git.centos.org stopped publishing RHEL 8",
      items: [
        alertItem("RHSA-2023:3001", { at: now, ageHours: 40 }),
        alertItem("RHSA-2023:3002", { at: now, ageHours: 20, packageName: "openssl" }),
      ],
      stop: {
        lastPublishedAt: hoursAgo(60).toISOString(),
        normalLagHours: 9.5,
        normalLagSource: "learned",
        percentile: 95,
        historySize: 42,
        releasedSinceCount: 2,
        overdueSinceCount: 2,
      },
    });
    ids.inhibited = await insertAlert(db, {
      kind: "update_missing",
      mirrorId: "git.centos.org",
      major: 8,
      status: "firing",
      startsAt: hoursAgo(50),
      inhibitedById: ids.stop,
      items: [alertItem("RHSA-2023:3001", { at: now, ageHours: 40 })],
      events: [
        { type: "fired", at: hoursAgo(50) },
        { type: "grew", at: hoursAgo(40), added: ["RHSA-2023:3001"] },
        { type: "inhibited", at: hoursAgo(30), notified: false, quietReason: "inhibited" },
      ],
    });
    ids.resolvedOld = await insertAlert(db, {
      kind: "update_delayed",
      mirrorId: "git.centos.org",
      major: 9,
      status: "resolved",
      startsAt: hoursAgo(200),
      resolvedAt: hoursAgo(150),
    });
    ids.resolvedNew = await insertAlert(db, {
      kind: "update_delayed",
      mirrorId: "forge",
      major: 8,
      status: "resolved",
      startsAt: hoursAgo(100),
      resolvedAt: hoursAgo(10),
    });
    ids.stale = await insertAlert(db, {
      kind: "mirror_stale",
      mirrorId: "forge",
      major: null,
      status: "firing",
      startsAt: hoursAgo(5),
      stale: {
        lastSuccessAt: hoursAgo(12).toISOString(),
        staleAfterMinutes: 360,
        lastErrorKind: "network",
        lastErrorMessage: "ECONNREFUSED",
        consecutiveFailures: 12,
      },
    });
    await db.silence.create({
      data: {
        matchers: encodeSilenceMatchers({ mirrorId: "forge" }),
        startsAt: hoursAgo(1),
        endsAt: hoursAgo(-24),
        author: "ops",
        comment: "forge maintenance",
        createdAt: hoursAgo(1),
      },
    });
    await db.silence.create({
      data: {
        matchers: encodeSilenceMatchers({ kind: "update_missing" }),
        startsAt: hoursAgo(48),
        endsAt: hoursAgo(24),
        author: "ops",
        comment: "over",
        createdAt: hoursAgo(48),
      },
    });
  });
  afterAll(async () => {
    setDbForTests(undefined);
    setConfigForTests(undefined);
    await database?.drop();
  });

  const list = (query: Record<string, string> = {}) => listAlerts(AlertListQuery.parse(query), { now });

  it("lists firing alerts first, then newest first, with labels, counts and absolute links", async () => {
    const result = AlertListResponse.parse(await list());
    expect(result.items.map((item) => item.id)).toEqual([ids.stale, ids.stop, ids.inhibited, ids.resolvedNew, ids.resolvedOld]);
    expect(result).toMatchObject({ total: 5, firingCount: 3, page: 1, pageSize: 50 });
    const stop = result.items.find((item) => item.id === ids.stop)!;
    expect(stop).toMatchObject({
      kind: "publishing_stopped",
      kindLabel: "Mirror stopped publishing",
      mirrorName: "git.centos.org",
      major: 8,
      status: "firing",
      itemCount: 2,
      severity: "Important",
      silenced: false,
      inhibitedById: null,
      resolvedAt: null,
      url: `https://srcwatch.example.org/alerts/${ids.stop}`,
    });
    expect(result.items.find((item) => item.id === ids.inhibited)?.inhibitedById).toBe(ids.stop);
  });

  it("lists mirror-wide kinds before a newer one-update alert, firing or resolved", async () => {
    const perUpdateKinds = ALERT_KINDS.filter((kind) => kind.startsWith("update_"));
    expect([...ALERT_KINDS].sort().slice(-perUpdateKinds.length), "the order by kind relies on the names").toEqual(
      [...perUpdateKinds].sort(),
    );
    const newer = await insertAlert(database.db, {
      kind: "update_delayed",
      mirrorId: "forge",
      major: 9,
      status: "firing",
      startsAt: hoursAgo(1),
    });
    try {
      expect((await list()).items.map((item) => item.id)).toEqual([
        ids.stale,
        ids.stop,
        newer,
        ids.inhibited,
        ids.resolvedNew,
        ids.resolvedOld,
      ]);
      expect((await list({ mirror: "forge", pageSize: "1" })).items.map((item) => item.id)).toEqual([ids.stale]);
    } finally {
      await database.db.alert.delete({ where: { id: newer } });
    }
  });

  it("marks firing alerts an active silence matches as silenced, and never a resolved one or by an expired silence", async () => {
    const result = await list();
    const silenced = Object.fromEntries(result.items.map((item) => [item.id, item.silenced]));
    expect(silenced).toEqual({
      [ids.stale]: true,
      [ids.stop]: false,
      [ids.inhibited]: false,
      [ids.resolvedNew]: false,
      [ids.resolvedOld]: false,
    });
  });

  it("filters by status, mirror, major (mirror-wide alerts match every major), kind and time window", async () => {
    expect((await list({ status: "firing" })).items.map((item) => item.id)).toEqual([ids.stale, ids.stop, ids.inhibited]);
    expect((await list({ status: "resolved" })).items.map((item) => item.id)).toEqual([ids.resolvedNew, ids.resolvedOld]);
    expect((await list({ mirror: "forge" })).items.map((item) => item.id)).toEqual([ids.stale, ids.resolvedNew]);
    expect((await list({ major: "9" })).items.map((item) => item.id)).toEqual([ids.stale, ids.resolvedOld]);
    expect((await list({ kind: "update_delayed,update_missing" })).items.map((item) => item.id)).toEqual([
      ids.inhibited,
      ids.resolvedNew,
      ids.resolvedOld,
    ]);
    expect((await list({ since: hoursAgo(100).toISOString() })).items.map((item) => item.id)).toEqual([
      ids.stale,
      ids.stop,
      ids.inhibited,
      ids.resolvedNew,
    ]);
    expect((await list({ until: hoursAgo(60).toISOString() })).items.map((item) => item.id)).toEqual([ids.resolvedNew, ids.resolvedOld]);
    const firingOnForge = await list({ status: "resolved", mirror: "forge" });
    expect(firingOnForge).toMatchObject({ total: 1, firingCount: 1 });
  });

  it("pages through the list with a total over all pages", async () => {
    const first = await list({ pageSize: "2" });
    const second = await list({ pageSize: "2", page: "2" });
    const third = await list({ pageSize: "2", page: "3" });
    expect([...first.items, ...second.items, ...third.items].map((item) => item.id)).toEqual([
      ids.stale,
      ids.stop,
      ids.inhibited,
      ids.resolvedNew,
      ids.resolvedOld,
    ]);
    expect(third.total).toBe(5);
  });

  it("gets one alert with its evidence and its timeline, oldest event first", async () => {
    const detail = AlertDetailResponse.parse(await getAlert(ids.stop, { now }));
    expect(detail.alert.details.stop).toMatchObject({ normalLagHours: 9.5, normalLagSource: "learned", historySize: 42 });
    expect(detail.alert.details.items.map((item) => item.advisoryId)).toEqual(["RHSA-2023:3001", "RHSA-2023:3002"]);
    expect(detail.alert.events.map((event) => event.type)).toEqual(["fired"]);

    const inhibited = await getAlert(ids.inhibited, { now });
    expect(inhibited.alert.events.map((event) => [event.type, event.notified, event.quietReason, event.added])).toEqual([
      ["fired", true, null, []],
      ["grew", true, null, ["RHSA-2023:3001"]],
      ["inhibited", false, "inhibited", []],
    ]);

    const stale = await getAlert(ids.stale, { now });
    expect(stale.alert.details.stale).toMatchObject({ lastErrorKind: "network", consecutiveFailures: 12 });
    expect(stale.alert.activeSilences.map((silence) => silence.comment)).toEqual(["forge maintenance"]);
  });

  it("throws NotFoundError for an unknown alert", async () => {
    await expect(getAlert(999_999, { now })).rejects.toBeInstanceOf(NotFoundError);
  });

  describe("over HTTP", () => {
    it("answers GET /api/v1/alerts with JSON, an ETag and CORS", async () => {
      const response = await listAlertsRoute(new Request(`${BASE}/alerts?status=firing&mirror=git.centos.org&major=8`));
      expect(response.status).toBe(200);
      expect(response.headers.get("etag")).toBeTruthy();
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      const body = AlertListResponse.parse(await response.json());
      expect(body.items.map((item) => item.id)).toEqual([ids.stop, ids.inhibited]);
      const again = await listAlertsRoute(
        new Request(`${BASE}/alerts?status=firing&mirror=git.centos.org&major=8`, {
          headers: { "If-None-Match": response.headers.get("etag")! },
        }),
      );
      expect([200, 304]).toContain(again.status);
    });

    it.each([
      ["an unknown status", "status=open", "status"],
      ["an unknown kind", "kind=outage", "kind"],
      ["an unknown parameter", "severity=Critical", "severity"],
      ["a page size above the cap", "pageSize=1000", "pageSize"],
      ["a malformed instant", "since=yesterday", "since"],
    ])("answers 400 naming the parameter for %s", async (_name, query, parameter) => {
      const response = await listAlertsRoute(new Request(`${BASE}/alerts?${query}`));
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("bad_request");
      expect(body.error.message).toContain(parameter);
    });

    it("answers GET /api/v1/alerts/{id} with the alert, 404 for an unknown id and 400 for a malformed one", async () => {
      const call = (id: string) => getAlertRoute(new Request(`${BASE}/alerts/${id}`), { params: Promise.resolve({ id }) });
      const ok = await call(String(ids.inhibited));
      expect(ok.status).toBe(200);
      expect(AlertDetailResponse.parse(await ok.json()).alert.inhibitedById).toBe(ids.stop);
      expect((await call("424242")).status).toBe(404);
      for (const bad of ["abc", "0", "-1", "1.5", "99999999999999999999"]) expect((await call(bad)).status, bad).toBe(400);
    });
  });
});
