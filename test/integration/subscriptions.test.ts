import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as confirmRoute } from "../../app/api/v1/subscriptions/confirm/route";
import { GET as getManageRoute, PUT as putManageRoute } from "../../app/api/v1/subscriptions/manage/route";
import { OPTIONS as subscribeOptions, POST as subscribeRoute } from "../../app/api/v1/subscriptions/route";
import { POST as unsubscribeRoute } from "../../app/api/v1/subscriptions/unsubscribe/route";
import type { AlertDetails } from "../../core/alerts/types";
import type { SrcwatchConfig } from "../../core/config";
import { setConfigForTests } from "../../server/config/get-config";
import { parseConfig } from "../../server/config/load-config";
import { setDbForTests, type Db } from "../../server/db/client";
import { markClientAddressHeaderTrusted } from "../../server/http/set-client-address-header.mjs";
import { enqueueAlertNotifications } from "../../server/notifications/enqueue-alert-notifications";
import { confirmSubscription } from "../../server/subscriptions/confirm-subscription";
import { SUBSCRIBE_ANSWER } from "../../contract/subscription-dto";
import { SubscriptionScope } from "../../core/alerts/subscription-scope";
import {
  CONFIRM_TOKEN_TTL_MS,
  getSigningSecret,
  signSubscriptionToken,
  type TokenPurpose,
} from "../../server/subscriptions/subscription-tokens";
import { alertItem } from "../support/alert-fixtures";
import { countScopeMatchSteps, REALISTIC_PACKAGE_NAMES, REDOS_PACKAGE_PATTERNS } from "../support/hostile-subscriber-fixtures";
import { interleaveAfterRead } from "../support/interleave-after-read";
import { createTestDatabase, testDatabaseProvider, type TestDatabase } from "../support/test-database";
import { decodeAlertDetails, encodeAlertDetails } from "../../core/alerts/alert-details-codec";
import { decodeAlertNotificationPayload, decodeConfirmationPayload } from "../../core/notifications/outbox-payload-codec";
import { decodeSubscriptionScope } from "../../core/subscription-scope";

const ORIGIN = "http://srcwatch.test";
const BASE = `${ORIGIN}/api/v1/subscriptions`;
/** What a browser sends with a fetch from one of our own pages. */
const SAME_ORIGIN = { origin: ORIGIN };
const IP_LIMIT = 6;

function buildConfig(withEmail: boolean): SrcwatchConfig {
  return parseConfig(
    {
      upstreams: [{ id: "feed", kind: "csaf", name: "Feed", baseUrl: "http://127.0.0.1:1/", startDate: "2023-01-01", majors: [8, 9] }],
      mirrors: [
        {
          id: "git.centos.org",
          kind: "git-forge",
          name: "CentOS Git",
          majors: [8, 9],
          repoUrlTemplate: "http://127.0.0.1:1/{name}.git",
          tagTemplate: "imports/c{major}/{nvr}",
          tagWebUrlTemplate: "x",
        },
        {
          id: "forge.example",
          kind: "git-forge",
          name: "Forge",
          majors: [9],
          repoUrlTemplate: "http://127.0.0.1:1/{name}.git",
          tagTemplate: "imports/c{major}/{nvr}",
          tagWebUrlTemplate: "x",
        },
      ],
      notifications: {
        publicUrl: "http://srcwatch.test",
        ...(withEmail ? { email: { smtp: { host: "127.0.0.1", port: 2525 }, from: "srcwatch <alerts@srcwatch.test>" } } : {}),
        limits: { subscribeRequestsPerIpPerHour: IP_LIMIT, confirmationMailsPerAddressPerDay: 3 },
      },
    },
    "subscriptions test",
  );
}

/** A header set to "" is one the request leaves out. */
function withoutEmptyHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([, value]) => value !== ""));
}

let ipCounter = 0;
/** Each case its own client address (as scripts/web-server.mjs would set it), so the per-IP limit only bites where a case means it to. */
const nextIp = () => `198.51.100.${++ipCounter}`;

function postSubscribe(
  body: unknown,
  options: { ip?: string; type?: string | null; raw?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  const type: Record<string, string> =
    options.type === undefined ? { "content-type": "application/json" } : options.type === null ? {} : { "content-type": options.type };
  return subscribeRoute(
    new Request(BASE, {
      method: "POST",
      headers: withoutEmptyHeaders({ ...SAME_ORIGIN, ...type, "x-srcwatch-client-ip": options.ip ?? nextIp(), ...options.headers }),
      body: options.raw ?? JSON.stringify(body),
    }),
  );
}

const postJson = (
  route: (request: Request) => Promise<Response>,
  url: string,
  body: unknown,
  method = "POST",
  headers: Record<string, string> = SAME_ORIGIN,
) => route(new Request(url, { method, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) }));

describe(`subscriptions without an account (${testDatabaseProvider()})`, () => {
  let database: TestDatabase;
  let db: Db;
  let secret: string;
  const config = buildConfig(true);

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    setDbForTests(db);
    setConfigForTests(config);
    markClientAddressHeaderTrusted();
    secret = await getSigningSecret(db);
  });
  afterAll(async () => {
    setDbForTests(undefined);
    setConfigForTests(undefined);
    await database?.drop();
  });

  const tokenFor = (subscription: { id: number; tokenVersion: number }, purpose: TokenPurpose, issuedAt = Date.now()) =>
    signSubscriptionToken(secret, { subscriptionId: subscription.id, purpose, version: subscription.tokenVersion, issuedAt });
  const withToken = (path: string, token: string) => `${BASE}/${path}?token=${encodeURIComponent(token)}`;

  async function subscribeAndFind(email: string, scope: unknown = {}, delivery = "immediate") {
    const response = await postSubscribe({ email, scope, delivery });
    expect(response.status, await response.clone().text()).toBe(202);
    return db.subscription.findFirstOrThrow({ where: { email: email.trim().toLowerCase() }, orderBy: { id: "desc" } });
  }

  async function confirm(subscription: { id: number; tokenVersion: number }) {
    const response = await postJson(confirmRoute, `${BASE}/confirm`, { token: tokenFor(subscription, "confirm") });
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as { subscription: { status: string; email: string }; manageToken: string; queuedAlerts: number };
  }

  async function expectRejected(response: Response, status: number, message: RegExp) {
    const text = await response.text();
    expect(response.status, text).toBe(status);
    expect((JSON.parse(text) as { error: { message: string } }).error.message).toMatch(message);
    expect(response.headers.get("cache-control")).toBe("no-store");
  }

  describe("subscribe", () => {
    it("records a pending subscription and exactly one confirmation message for it, in the same answer for everyone", async () => {
      const response = await postSubscribe({
        email: "  Maintainer@Example.ORG ",
        scope: { mirrors: ["git.centos.org"], majors: [8] },
        delivery: "daily",
        reminders: "weekly",
      });
      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({ message: SUBSCRIBE_ANSWER });
      const subscription = await db.subscription.findFirstOrThrow({ where: { email: "maintainer@example.org" } });
      expect(subscription).toMatchObject({ status: "pending", delivery: "daily", reminders: "weekly", confirmedAt: null });
      expect(decodeSubscriptionScope(subscription.scope, subscription.id)).toMatchObject({
        mirrors: ["git.centos.org"],
        majors: [8],
        kinds: ["publishing_stopped", "partial_stop", "update_missing", "mirror_stale"],
      });
      const messages = await db.outboxMessage.findMany({ where: { subscriptionId: subscription.id } });
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatchObject({
        dedupeKey: `confirm/${subscription.id}/1`,
        channel: "email",
        kind: "confirmation",
        recipient: "maintainer@example.org",
        status: "pending",
      });
      expect(decodeConfirmationPayload(messages[0].payload, messages[0].id)).toEqual({ subscriptionId: subscription.id });
    });

    it("takes JSON from our own pages: by Origin, or by Sec-Fetch-Site when a browser leaves Origin out", async () => {
      expect((await postSubscribe({ email: "own-page@example.org" })).status).toBe(202);
      const fetchMetadata = await postSubscribe(
        { email: "fetch-metadata@example.org" },
        { headers: { origin: "", "sec-fetch-site": "same-origin" } },
      );
      expect(fetchMetadata.status, await fetchMetadata.clone().text()).toBe(202);
      // Under Next, request.url names the configured hostname; the browser addressed the Host it sent.
      const addressed = await subscribeRoute(
        new Request("http://localhost:3000/api/v1/subscriptions", {
          method: "POST",
          headers: {
            host: "srcwatch.lan:8080",
            origin: "http://srcwatch.lan:8080",
            "content-type": "application/json",
            "x-srcwatch-client-ip": nextIp(),
          },
          body: JSON.stringify({ email: "lan-page@example.org" }),
        }),
      );
      expect(addressed.status, await addressed.clone().text()).toBe(202);
      expect(
        await db.subscription.count({
          where: { email: { in: ["own-page@example.org", "fetch-metadata@example.org", "lan-page@example.org"] } },
        }),
      ).toBe(3);
    });

    it.each([
      ["another site's Origin", { origin: "https://evil.example" }],
      ["the same host on another port", { origin: "http://srcwatch.test:8080" }],
      ["an opaque Origin (sandboxed frame)", { origin: "null" }],
      ["no Origin and Sec-Fetch-Site cross-site", { origin: "", "sec-fetch-site": "cross-site" }],
      ["neither Origin nor Sec-Fetch-Site", { origin: "" }],
    ])("refuses a subscribe with %s with 403 and writes nothing", async (_case, headers) => {
      const email = `cross-site-${Object.values(headers)
        .join("-")
        .replace(/[^a-z0-9]+/gi, "-")}@example.org`;
      const response = await postSubscribe({ email }, { headers });
      await expectRejected(response, 403, /only takes requests from srcwatch's own pages/);
      expect(response.headers.get("access-control-allow-origin")).toBeNull();
      expect(await db.subscription.count({ where: { email } })).toBe(0);
    });

    it("refuses a form-encoded, multipart or untyped body with 415, even from our own origin, and writes nothing", async () => {
      const form = new URLSearchParams([
        ["email", "form@example.org"],
        ["mirror", "git.centos.org"],
      ]).toString();
      await expectRejected(
        await postSubscribe(undefined, { type: "application/x-www-form-urlencoded", raw: form }),
        415,
        /application\/json/,
      );
      await expectRejected(
        await postSubscribe(undefined, {
          type: "multipart/form-data; boundary=x",
          raw: `--x\r\nContent-Disposition: form-data; name="email"\r\n\r\nform@example.org\r\n--x--\r\n`,
        }),
        415,
        /application\/json/,
      );
      await expectRejected(
        await postSubscribe(undefined, { type: null, raw: JSON.stringify({ email: "form@example.org" }) }),
        415,
        /application\/json/,
      );
      await expectRejected(
        await postSubscribe(undefined, { type: "text/plain", raw: JSON.stringify({ email: "form@example.org" }) }),
        415,
        /application\/json/,
      );
      expect(await db.subscription.count({ where: { email: "form@example.org" } })).toBe(0);
      expect((await postSubscribe({ email: "typed@example.org" }, { type: "application/merge-patch+json" })).status).toBe(202);
    });

    it("grants no other origin anything: no CORS header on answers, and a preflight that allows nothing cross-origin", async () => {
      const answered = await postSubscribe({ email: "cors@example.org" });
      expect(answered.status).toBe(202);
      expect(answered.headers.get("access-control-allow-origin")).toBeNull();
      const preflight = await subscribeOptions();
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get("allow")).toBe("POST, OPTIONS");
      expect([...preflight.headers.keys()].filter((name) => name.startsWith("access-control-"))).toEqual([]);
    });

    it.each([
      [
        "a line break (header injection)",
        { email: "victim@example.org\r\nBcc: everyone@example.org" },
        /line breaks or other control characters/,
      ],
      ["a trailing newline", { email: "victim@example.org\n" }, /line breaks/],
      ["a NUL byte", { email: "victim@exa\u0000mple.org" }, /control characters/],
      ["no address", { email: "not-an-address" }, /not a valid email address/],
      [
        "an address over 254 characters",
        { email: `${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(63)}.org` },
        /at most 254/,
      ],
      ["an unknown field", { email: "a@example.org", admin: true }, /"admin": unknown field/],
      ["an unknown scope field", { email: "a@example.org", scope: { mirror: ["git.centos.org"] } }, /"scope.mirror": unknown field/],
      ["an unknown alert kind", { email: "a@example.org", scope: { kinds: ["everything"] } }, /scope.kinds.0/],
      ["no alert kind", { email: "a@example.org", scope: { kinds: [] } }, /choose at least one kind/],
      [
        "a mirror this server does not watch",
        { email: "a@example.org", scope: { mirrors: ["mirror.evil.example"] } },
        /unknown mirror "mirror.evil.example"/,
      ],
      ["a major no mirror carries", { email: "a@example.org", scope: { majors: [7] } }, /no configured mirror carries RHEL 7/],
      ["a bad package pattern", { email: "a@example.org", scope: { packagePatterns: ["kernel;rm"] } }, /package patterns may hold/],
      ["an unknown delivery", { email: "a@example.org", delivery: "hourly" }, /"delivery"/],
      ["unknown reminders", { email: "a@example.org", reminders: "hourly" }, /"reminders"/],
    ])("refuses %s with a clear 400 and writes nothing", async (_case, body, message) => {
      const before = await db.subscription.count();
      await expectRejected(await postSubscribe(body), 400, message);
      expect(await db.subscription.count()).toBe(before);
    });

    it("refuses malformed JSON with 400, a body over 16 KiB with 413 and an unknown media type with 415", async () => {
      await expectRejected(await postSubscribe(undefined, { raw: '{"email": "a@example.org"' }), 400, /not valid JSON/);
      const huge = JSON.stringify({
        email: "a@example.org",
        scope: { packagePatterns: Array.from({ length: 2000 }, () => "kernel-abcdefgh") },
      });
      expect(huge.length).toBeGreaterThan(16 * 1024);
      await expectRejected(await postSubscribe(undefined, { raw: huge }), 413, /larger than 16384 bytes/);
      await expectRejected(await postSubscribe(undefined, { raw: "email=a@example.org", type: "text/plain" }), 415, /application\/json/);
    });

    it("answers a new, a pending and an already active address identically, and confirms a new pending row each time", async () => {
      const active = await subscribeAndFind("known@example.org");
      await confirm(active);
      await subscribeAndFind("waiting@example.org");
      const answers = await Promise.all(
        ["brand-new@example.org", "waiting@example.org", "known@example.org"].map(async (email) => {
          const response = await postSubscribe({ email, scope: { mirrors: ["git.centos.org"] } });
          return { status: response.status, body: await response.text(), headers: [...response.headers.entries()].sort() };
        }),
      );
      expect(answers[1]).toEqual(answers[0]);
      expect(answers[2]).toEqual(answers[0]);
      for (const email of ["brand-new@example.org", "waiting@example.org", "known@example.org"]) {
        const newest = await db.subscription.findFirstOrThrow({ where: { email }, orderBy: { id: "desc" } });
        expect(newest.status).toBe("pending");
        expect(await db.outboxMessage.count({ where: { subscriptionId: newest.id, kind: "confirmation" } })).toBe(1);
      }
      expect((await db.subscription.findUniqueOrThrow({ where: { id: active.id } })).status).toBe("active");
    });

    it("queues at most confirmationMailsPerAddressPerDay confirmations per address and answers the same beyond it", async () => {
      const answers: string[] = [];
      for (let attempt = 0; attempt < 5; attempt++) {
        const response = await postSubscribe({ email: "flooded@example.org" });
        expect(response.status).toBe(202);
        answers.push(await response.text());
      }
      expect(new Set(answers).size).toBe(1);
      expect(await db.outboxMessage.count({ where: { recipient: "flooded@example.org", kind: "confirmation" } })).toBe(3);
      expect(await db.subscription.count({ where: { email: "flooded@example.org" } })).toBe(3);
    });

    it("answers 429 with Retry-After once a client address exceeds subscribeRequestsPerIpPerHour, others still pass", async () => {
      const ip = nextIp();
      for (let attempt = 0; attempt < IP_LIMIT; attempt++) {
        expect((await postSubscribe({ email: `burst${attempt}@example.org` }, { ip })).status).toBe(202);
      }
      const limited = await postSubscribe({ email: "burst-last@example.org" }, { ip });
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(Number(limited.headers.get("retry-after"))).toBeLessThanOrEqual(3600);
      await expectRejected(limited, 429, /Too many subscription requests/);
      expect(await db.subscription.count({ where: { email: "burst-last@example.org" } })).toBe(0);
      expect((await postSubscribe({ email: "burst-last@example.org" })).status).toBe(202);
    });

    it("takes the client address only from the header the web server sets, never from X-Forwarded-For or X-Real-IP", async () => {
      const ip = "203.0.113.77";
      const send = (headers: Record<string, string>, index: number) =>
        subscribeRoute(
          new Request(BASE, {
            method: "POST",
            headers: { ...SAME_ORIGIN, "content-type": "application/json", ...headers },
            body: JSON.stringify({ email: `real-ip${index}@example.org` }),
          }),
        );
      for (let index = 0; index < IP_LIMIT; index++)
        expect((await send({ "x-srcwatch-client-ip": ip, "x-forwarded-for": `192.0.2.${200 + index}` }, index)).status).toBe(202);
      expect((await send({ "x-srcwatch-client-ip": ip, "x-real-ip": "192.0.2.250" }, 100)).status).toBe(429);
      expect((await send({ "x-forwarded-for": "192.0.2.251", "x-real-ip": "192.0.2.252" }, 101)).status).toBe(202);
      expect(await db.rateLimitBucket.count({ where: { key: { startsWith: "subscribe/ip/192.0.2." } } })).toBe(0);
      expect(await db.rateLimitBucket.count({ where: { key: "subscribe/ip/unknown" } })).toBe(1);
    });

    it("answers 503 when email notifications are not configured", async () => {
      setConfigForTests(buildConfig(false));
      try {
        await expectRejected(
          await postSubscribe({ email: "nomail@example.org" }),
          503,
          /^email notifications are not configured on this server$/,
        );
      } finally {
        setConfigForTests(config);
      }
      expect(await db.subscription.count({ where: { email: "nomail@example.org" } })).toBe(0);
    });
  });

  describe("confirm", () => {
    let alertCount = 0;
    async function insertFiringAlert(options: {
      kind: string;
      mirrorId: string;
      major: number | null;
      notified: boolean;
      inhibitedById?: number | null;
      items?: AlertDetails["items"];
    }) {
      const at = new Date(Date.now() - 3_600_000);
      const details: AlertDetails = {
        mirrorId: options.mirrorId,
        mirrorName: options.mirrorId,
        major: options.major,
        items: options.items ?? [],
      };
      const key = `${options.kind}/${options.mirrorId}/${options.major ?? "all"}/${++alertCount}`;
      const alert = await db.alert.create({
        data: {
          dedupeKey: key,
          firingKey: key,
          kind: options.kind,
          mirrorId: options.mirrorId,
          major: options.major,
          status: "firing",
          summary: key,
          details: encodeAlertDetails(details),
          startsAt: at,
          lastChangedAt: at,
          inhibitedById: options.inhibitedById ?? null,
          notifiedAt: options.notified ? at : null,
          lastNotifiedAt: options.notified ? at : null,
        },
      });
      const fired = await db.alertEvent.create({
        data: {
          alertId: alert.id,
          type: "fired",
          at,
          details: encodeAlertDetails(details, { table: "AlertEvent" }),
          notified: options.notified,
          quietReason: options.notified ? null : "silenced:1",
        },
      });
      return { alert, fired };
    }

    it("activates the subscription and queues, for it alone, the firing alerts in its scope that were notified", async () => {
      const stop = await insertFiringAlert({ kind: "publishing_stopped", mirrorId: "git.centos.org", major: 8, notified: true });
      const grew = await db.alertEvent.create({
        data: { alertId: stop.alert.id, type: "reminder", at: new Date(), details: stop.fired.details, notified: true },
      });
      await insertFiringAlert({
        kind: "update_missing",
        mirrorId: "git.centos.org",
        major: 8,
        notified: false,
        inhibitedById: stop.alert.id,
      });
      await insertFiringAlert({ kind: "mirror_stale", mirrorId: "git.centos.org", major: null, notified: false });
      await insertFiringAlert({ kind: "publishing_stopped", mirrorId: "forge.example", major: 9, notified: true });
      const bystander = await subscribeAndFind("bystander@example.org");
      await confirm(bystander);
      const bystanderRows = await db.outboxMessage.count({ where: { subscriptionId: bystander.id, kind: "alert" } });

      const subscription = await subscribeAndFind("newcomer@example.org", { mirrors: ["git.centos.org"], majors: [8] });
      const confirmed = await confirm(subscription);
      expect(confirmed.subscription).toMatchObject({ status: "active", email: "newcomer@example.org" });
      expect(confirmed.queuedAlerts).toBe(1);
      const row = await db.subscription.findUniqueOrThrow({ where: { id: subscription.id } });
      expect(row.status).toBe("active");
      expect(row.confirmedAt).not.toBeNull();
      const queued = await db.outboxMessage.findMany({ where: { subscriptionId: subscription.id, kind: "alert" } });
      expect(queued.map((message) => [message.alertId, message.alertEventId, message.status])).toEqual([
        [stop.alert.id, grew.id, "pending"],
      ]);
      expect(await db.outboxMessage.count({ where: { subscriptionId: bystander.id, kind: "alert" } })).toBe(bystanderRows);

      const again = await confirm(subscription);
      expect(again.subscription.status).toBe("active");
      expect(again.queuedAlerts).toBe(0);
      expect(await db.outboxMessage.count({ where: { subscriptionId: subscription.id } })).toBe(2);
    });

    it("confirms a subscriber with backtracking-hostile patterns while an update alert fires, in a bounded number of matching steps", async () => {
      const at = new Date();
      const items = REALISTIC_PACKAGE_NAMES.map((packageName, index) =>
        alertItem(`RHSA-2023:9${String(index).padStart(3, "0")}`, { at, ageHours: 80, major: 9, packageName }),
      );
      const missing = await insertFiringAlert({ kind: "update_missing", mirrorId: "forge.example", major: 9, notified: true, items });
      const opensslAdvisory = items.find((item) => item.packages[0].name === "openssl")!.advisoryId;
      const scope = { mirrors: ["forge.example"], majors: [9], kinds: ["update_missing"] };
      const hostile = await subscribeAndFind("redos@example.org", { ...scope, packagePatterns: [...REDOS_PACKAGE_PATTERNS] });
      const mixed = await subscribeAndFind("redos-and-openssl@example.org", {
        ...scope,
        packagePatterns: [...REDOS_PACKAGE_PATTERNS, "openssl*"],
      });

      const subject = {
        kind: "update_missing" as const,
        mirrorId: "forge.example",
        major: 9,
        details: decodeAlertDetails(missing.fired.details, { table: "AlertEvent", id: missing.fired.id }),
      };
      for (const subscription of [hostile, mixed]) {
        // ≤ 100,000 steps is well under 10 ms of CPU; a backtracking RegExp of the same patterns never finishes.
        expect(countScopeMatchSteps(subscription.scope, subject)).toBeLessThanOrEqual(100_000);
      }
      for (const pattern of REDOS_PACKAGE_PATTERNS)
        expect(countScopeMatchSteps({ ...SubscriptionScope.parse(scope), packagePatterns: [pattern] }, subject)).toBeLessThanOrEqual(
          100_000,
        );

      expect((await confirm(hostile)).queuedAlerts).toBe(0);
      expect(await db.outboxMessage.count({ where: { subscriptionId: hostile.id, kind: "alert" } })).toBe(0);
      const confirmed = await confirm(mixed);
      expect(confirmed).toMatchObject({ subscription: { status: "active" }, queuedAlerts: 1 });
      const queued = await db.outboxMessage.findMany({ where: { subscriptionId: mixed.id, kind: "alert" } });
      expect(
        queued.map((message) => ({
          alertId: message.alertId,
          alertEventId: message.alertEventId,
          status: message.status,
          payload: decodeAlertNotificationPayload(message.payload, message.id),
        })),
      ).toEqual([
        {
          alertId: missing.alert.id,
          alertEventId: missing.fired.id,
          status: "pending",
          payload: { matchedAdvisoryIds: [opensslAdvisory], catchUp: true },
        },
      ]);
    });

    it("queues an alert event written between reading the firing alerts and activating the subscription", async () => {
      const subscription = await subscribeAndFind("racer@example.org", {
        mirrors: ["forge.example"],
        majors: [9],
        kinds: ["mirror_stale"],
      });
      // The worker fires an alert right after the confirmation read what is firing.
      const racing = interleaveAfterRead(db, {
        model: "alert",
        method: "findMany",
        write: () => insertFiringAlert({ kind: "mirror_stale", mirrorId: "forge.example", major: null, notified: true }),
      });
      const confirmed = await confirmSubscription(racing.db, { token: tokenFor(subscription, "confirm"), now: new Date() });
      expect(racing.hasInterleaved()).toBe(true);
      expect(confirmed.queuedAlerts).toBe(1);
      expect(await db.outboxMessage.count({ where: { subscriptionId: subscription.id, kind: "alert" } })).toBe(1);
    });

    it("refuses a confirmation sent from another site with 403 and leaves the subscription pending", async () => {
      const subscription = await subscribeAndFind("cross-site-confirm@example.org");
      const response = await postJson(confirmRoute, `${BASE}/confirm`, { token: tokenFor(subscription, "confirm") }, "POST", {
        origin: "https://evil.example",
      });
      await expectRejected(response, 403, /own pages/);
      expect((await db.subscription.findUniqueOrThrow({ where: { id: subscription.id } })).status).toBe("pending");
    });

    it("sends an unconfirmed subscription nothing but its confirmation, whatever fires", async () => {
      const pending = await subscribeAndFind("unconfirmed@example.org", {
        kinds: ["publishing_stopped", "update_missing", "update_delayed", "mirror_stale"],
      });
      const { alert, fired } = await insertFiringAlert({ kind: "mirror_stale", mirrorId: "git.centos.org", major: null, notified: true });
      await db.$transaction((tx) =>
        enqueueAlertNotifications(tx, {
          alert: { id: alert.id, kind: "mirror_stale", mirrorId: alert.mirrorId, major: null },
          event: { id: fired.id, type: "fired", details: decodeAlertDetails(fired.details, { table: "AlertEvent", id: fired.id }) },
          config,
          now: new Date(),
        }),
      );
      const kinds = (
        await db.outboxMessage.findMany({ where: { OR: [{ subscriptionId: pending.id }, { recipient: "unconfirmed@example.org" }] } })
      ).map((message) => message.kind);
      expect(kinds).toEqual(["confirmation"]);
    });

    it("ends the address's older active subscription when a new one is confirmed, cancelling what it had queued", async () => {
      const first = await subscribeAndFind("mover@example.org", { mirrors: ["git.centos.org"] });
      await confirm(first);
      const queuedForFirst = await db.outboxMessage.create({
        data: {
          dedupeKey: `test/held/${first.id}`,
          channel: "email",
          kind: "alert",
          recipient: first.email,
          subscriptionId: first.id,
          status: "held",
          nextAttemptAt: new Date(),
          createdAt: new Date(),
        },
      });
      const second = await subscribeAndFind("mover@example.org", { mirrors: ["forge.example"] });
      await confirm(second);
      const ended = await db.subscription.findUniqueOrThrow({ where: { id: first.id } });
      expect(ended).toMatchObject({ status: "unsubscribed", tokenVersion: first.tokenVersion + 1 });
      expect((await db.outboxMessage.findUniqueOrThrow({ where: { id: queuedForFirst.id } })).status).toBe("cancelled");
      expect(await db.subscription.count({ where: { email: "mover@example.org", status: "active" } })).toBe(1);
    });

    it("refuses a forged, expired, superseded or misused link with 403", async () => {
      const subscription = await subscribeAndFind("misuse@example.org");
      const forged = `${tokenFor(subscription, "confirm").split(".")[0]}.AAAA`;
      const expired = tokenFor(subscription, "confirm", Date.now() - CONFIRM_TOKEN_TTL_MS - 60_000);
      for (const token of [forged, expired, tokenFor(subscription, "unsubscribe"), tokenFor(subscription, "manage"), "garbage"]) {
        await expectRejected(await postJson(confirmRoute, `${BASE}/confirm`, { token }), 403, /not valid or has expired/);
      }
      expect((await db.subscription.findUniqueOrThrow({ where: { id: subscription.id } })).status).toBe("pending");
      await expectRejected(
        await postJson(unsubscribeRoute, withToken("unsubscribe", tokenFor(subscription, "confirm")), {}),
        403,
        /not valid/,
      );
      await expectRejected(await getManageRoute(new Request(withToken("manage", tokenFor(subscription, "unsubscribe")))), 403, /not valid/);
      await expectRejected(
        await postJson(confirmRoute, `${BASE}/confirm`, { token: tokenFor(subscription, "confirm"), extra: 1 }),
        400,
        /unknown field/,
      );
      await expectRejected(await postJson(confirmRoute, `${BASE}/confirm`, {}), 400, /"token"/);
    });
  });

  describe("manage and unsubscribe", () => {
    it("shows the link holder the subscription and saves a new scope and delivery", async () => {
      const subscription = await subscribeAndFind("manager@example.org", { mirrors: ["git.centos.org"] }, "daily");
      const { manageToken } = await confirm(subscription);
      const shown = await getManageRoute(new Request(withToken("manage", manageToken)));
      expect(shown.status).toBe(200);
      expect(shown.headers.get("cache-control")).toBe("no-store");
      expect(await shown.json()).toMatchObject({
        subscription: {
          email: "manager@example.org",
          status: "active",
          delivery: "daily",
          reminders: "daily",
          scope: { mirrors: ["git.centos.org"] },
        },
      });

      const held = await db.outboxMessage.create({
        data: {
          dedupeKey: `test/held/${subscription.id}`,
          channel: "email",
          kind: "alert",
          recipient: subscription.email,
          subscriptionId: subscription.id,
          status: "held",
          nextAttemptAt: new Date(0),
          createdAt: new Date(),
        },
      });
      const scope = {
        mirrors: ["forge.example"],
        majors: [9],
        kinds: ["update_delayed"],
        severities: ["Important"],
        packagePatterns: ["openssl*"],
      };
      const updated = await postJson(putManageRoute, withToken("manage", manageToken), { scope, delivery: "immediate" }, "PUT");
      expect(updated.status, await updated.clone().text()).toBe(200);
      // Reminders left out of the request stay as they were.
      expect(await updated.json()).toMatchObject({ subscription: { delivery: "immediate", reminders: "daily", scope } });
      const never = await postJson(
        putManageRoute,
        withToken("manage", manageToken),
        { scope, delivery: "immediate", reminders: "never" },
        "PUT",
      );
      expect(await never.json()).toMatchObject({ subscription: { reminders: "never" } });
      expect(
        decodeSubscriptionScope((await db.subscription.findUniqueOrThrow({ where: { id: subscription.id } })).scope, subscription.id),
      ).toEqual(scope);
      expect((await db.outboxMessage.findUniqueOrThrow({ where: { id: held.id } })).status).toBe("pending");

      await expectRejected(
        await postJson(
          putManageRoute,
          withToken("manage", manageToken),
          { scope: { mirrors: ["nowhere.example"] }, delivery: "daily" },
          "PUT",
        ),
        400,
        /unknown mirror/,
      );
      await expectRejected(
        await postJson(putManageRoute, withToken("manage", manageToken), { scope, delivery: "daily", email: "other@example.org" }, "PUT"),
        400,
        /"email": unknown field/,
      );
      await expectRejected(await getManageRoute(new Request(`${BASE}/manage`)), 400, /"token"/);
    });

    it("unsubscribes with RFC 8058 one-click, cancels queued messages, revokes the links and answers a second click the same", async () => {
      const subscription = await subscribeAndFind("leaver@example.org");
      const { manageToken } = await confirm(subscription);
      const pending = await db.outboxMessage.create({
        data: {
          dedupeKey: `test/pending/${subscription.id}`,
          channel: "email",
          kind: "alert",
          recipient: subscription.email,
          subscriptionId: subscription.id,
          status: "pending",
          nextAttemptAt: new Date(),
          createdAt: new Date(),
        },
      });
      const unsubscribeToken = tokenFor(subscription, "unsubscribe");
      const oneClick = () =>
        unsubscribeRoute(
          new Request(withToken("unsubscribe", unsubscribeToken), {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: "List-Unsubscribe=One-Click",
          }),
        );
      const first = await oneClick();
      expect(first.status).toBe(200);
      expect(first.headers.get("access-control-allow-origin")).toBeNull();
      const firstBody = await first.text();
      expect(JSON.parse(firstBody)).toMatchObject({ status: "unsubscribed" });
      const row = await db.subscription.findUniqueOrThrow({ where: { id: subscription.id } });
      expect(row).toMatchObject({ status: "unsubscribed", tokenVersion: subscription.tokenVersion + 1 });
      expect(row.unsubscribedAt).not.toBeNull();
      expect((await db.outboxMessage.findUniqueOrThrow({ where: { id: pending.id } })).status).toBe("cancelled");
      expect(
        (await db.outboxMessage.findFirstOrThrow({ where: { subscriptionId: subscription.id, kind: "confirmation" } })).status,
      ).not.toBe("pending");

      const second = await oneClick();
      expect(second.status).toBe(200);
      expect(await second.text()).toBe(firstBody);
      await expectRejected(await getManageRoute(new Request(withToken("manage", manageToken))), 403, /not valid/);
      await expectRejected(await postJson(confirmRoute, `${BASE}/confirm`, { token: tokenFor(subscription, "confirm") }), 403, /not valid/);
    });

    it("takes the one-click body from any origin, URL-encoded or multipart, and nothing else from another site", async () => {
      const subscription = await subscribeAndFind("one-click-only@example.org");
      await confirm(subscription);
      const url = withToken("unsubscribe", tokenFor(subscription, "unsubscribe"));
      const post = (headers: Record<string, string>, body: string) => unsubscribeRoute(new Request(url, { method: "POST", headers, body }));
      const form = { "content-type": "application/x-www-form-urlencoded" };
      await expectRejected(
        await post({ ...form, origin: "https://evil.example" }, "List-Unsubscribe=One-Click&everything=true"),
        403,
        /own pages/,
      );
      await expectRejected(await post(form, "List-Unsubscribe=Yes"), 403, /own pages/);
      await expectRejected(await post(form, "List-Unsubscribe=One-Click&List-Unsubscribe=One-Click"), 403, /own pages/);
      await expectRejected(
        await post({ ...form, ...SAME_ORIGIN }, "List-Unsubscribe=One-Click&everything=true"),
        415,
        /List-Unsubscribe=One-Click/,
      );
      await expectRejected(await post({ "content-type": "application/json", origin: "https://evil.example" }, "{}"), 403, /own pages/);
      await expectRejected(await post({ "content-type": "text/plain" }, "List-Unsubscribe=One-Click"), 403, /own pages/);
      expect((await db.subscription.findUniqueOrThrow({ where: { id: subscription.id } })).status).toBe("active");

      const multipart = await post(
        { "content-type": "multipart/form-data; boundary=srcwatch-boundary", origin: "https://mail.example" },
        '--srcwatch-boundary\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--srcwatch-boundary--\r\n',
      );
      expect(multipart.status, await multipart.clone().text()).toBe(200);
      expect(multipart.headers.get("access-control-allow-origin")).toBeNull();
      expect((await db.subscription.findUniqueOrThrow({ where: { id: subscription.id } })).status).toBe("unsubscribed");
    });

    it("refuses a change of scope sent from another site with 403", async () => {
      const subscription = await subscribeAndFind("cross-site-manage@example.org", { mirrors: ["git.centos.org"] });
      const { manageToken } = await confirm(subscription);
      const body = { scope: { mirrors: ["forge.example"] }, delivery: "daily" };
      await expectRejected(
        await postJson(putManageRoute, withToken("manage", manageToken), body, "PUT", { origin: "https://evil.example" }),
        403,
        /own pages/,
      );
      expect(
        decodeSubscriptionScope((await db.subscription.findUniqueOrThrow({ where: { id: subscription.id } })).scope, subscription.id),
      ).toMatchObject({ mirrors: ["git.centos.org"] });
    });

    it("unsubscribes from the manage link with an empty JSON body, and refuses unknown body fields", async () => {
      const subscription = await subscribeAndFind("manual-leaver@example.org");
      const { manageToken } = await confirm(subscription);
      await expectRejected(
        await postJson(unsubscribeRoute, withToken("unsubscribe", manageToken), { everything: true }),
        400,
        /unknown field/,
      );
      const response = await postJson(unsubscribeRoute, withToken("unsubscribe", manageToken), {});
      expect(response.status).toBe(200);
      expect((await db.subscription.findUniqueOrThrow({ where: { id: subscription.id } })).status).toBe("unsubscribed");
    });
  });
});
