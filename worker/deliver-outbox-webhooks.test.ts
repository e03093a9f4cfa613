import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../server/db/client";
import { createNotificationConfig, createTestClock, createTestDeps, recordAlertEvent } from "../test/support/notification-fixtures";
import { createTestDatabase, testDatabaseProvider, type TestDatabase } from "../test/support/test-database";
import { deliverOutbox } from "./deliver-outbox";

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const SECRET_ENV = "SRCWATCH_TEST_WEBHOOK_SECRET";
const SECRET = "webhook-secret-for-tests";
const ALL_KINDS = { kinds: ["publishing_stopped", "update_missing", "update_delayed", "mirror_stale"] };

describe(`deliverOutbox to webhooks (${testDatabaseProvider()})`, () => {
  let database: TestDatabase;
  let db: Db;
  let server: http.Server;
  let origin: string;
  let received: Received[] = [];
  /** Status to answer per path, consumed in order; the last one repeats. */
  let answers: Record<string, { status: number; headers?: Record<string, string> }[]> = {};
  const clock = createTestClock("2023-06-16T10:00:00Z");

  function configWith(webhooks: { id: string; path: string; format?: string; signed?: boolean }[]) {
    return createNotificationConfig({
      webhooks: webhooks.map((webhook) => ({
        id: webhook.id,
        url: `${origin}${webhook.path}`,
        format: webhook.format ?? "json",
        scope: ALL_KINDS,
        timeoutMs: 2_000,
        ...(webhook.signed === false ? {} : { secretEnv: SECRET_ENV }),
      })),
    });
  }

  beforeAll(async () => {
    process.env[SECRET_ENV] = SECRET;
    database = await createTestDatabase();
    db = database.db;
    server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const path = request.url ?? "/";
        received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
        const queue = answers[path] ?? [{ status: 200 }];
        const answer = queue.length > 1 ? queue.shift()! : queue[0];
        response.writeHead(answer.status, answer.headers).end("ok");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    delete process.env[SECRET_ENV];
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await database?.drop();
  });
  beforeEach(async () => {
    received = [];
    answers = {};
    await db.outboxMessage.deleteMany();
    await db.alertEvent.deleteMany();
    await db.alert.deleteMany();
    clock.set(new Date("2023-06-16T10:00:00Z"));
  });

  it("posts srcwatch's JSON, signed with HMAC-SHA256 over timestamp and body", async () => {
    const config = configWith([{ id: "ops", path: "/ops" }]);
    const { alertId } = await recordAlertEvent(db, config, { now: clock.now() });
    expect(await deliverOutbox(createTestDeps({ db, config, clock, mailer: null }))).toMatchObject({ claimed: 1, sent: 1 });

    expect(received).toHaveLength(1);
    const [{ headers, body }] = received;
    const row = await db.outboxMessage.findFirstOrThrow();
    expect(headers["content-type"]).toBe("application/json");
    expect(headers["user-agent"]).toBe(config.userAgent);
    expect(headers["x-srcwatch-event"]).toBe("fired");
    expect(headers["x-srcwatch-delivery"]).toBe(String(row.id));
    expect(headers["x-srcwatch-timestamp"]).toBe(String(clock.now().getTime() / 1000));
    const expected = createHmac("sha256", SECRET).update(`${headers["x-srcwatch-timestamp"]}.${body}`).digest("hex");
    expect(headers["x-srcwatch-signature"]).toBe(`sha256=${expected}`);
    const payload = JSON.parse(body);
    expect(payload).toMatchObject({
      version: 1,
      event: "fired",
      alert: {
        id: alertId,
        kind: "publishing_stopped",
        mirrorId: "git.centos.org",
        major: 8,
        status: "firing",
        url: `https://srcwatch.example.org/alerts/${alertId}`,
      },
    });
    expect(payload.details.items[0].advisoryId).toBe("RHSA-2023:3588");
    expect(row).toMatchObject({ status: "sent", providerId: "HTTP 200" });
  });

  it("speaks Slack's and Matrix's payload shapes", async () => {
    const config = configWith([
      { id: "slack", path: "/slack", format: "slack", signed: false },
      { id: "matrix", path: "/matrix", format: "matrix", signed: false },
    ]);
    await recordAlertEvent(db, config, { now: clock.now() });
    expect(await deliverOutbox(createTestDeps({ db, config, clock, mailer: null }))).toMatchObject({ sent: 2 });

    const slack = JSON.parse(received.find((request) => request.path === "/slack")!.body);
    expect(slack.text).toContain("FIRING: git.centos.org stopped publishing RHEL 8");
    expect(slack.blocks[0]).toMatchObject({ type: "section", text: { type: "mrkdwn" } });
    const matrix = JSON.parse(received.find((request) => request.path === "/matrix")!.body);
    expect(matrix).toMatchObject({ msgtype: "m.text", format: "org.matrix.custom.html" });
    expect(matrix.body).toContain("RHSA-2023:3588");
    expect(matrix.formatted_body).toContain('<a href="https://access.redhat.com/errata/RHSA-2023:3588">');
    expect(received.every((request) => request.headers["x-srcwatch-signature"] === undefined)).toBe(true);
  });

  it("retries a 500 with backoff, honouring Retry-After, then delivers", async () => {
    const config = configWith([{ id: "ops", path: "/flaky" }]);
    answers["/flaky"] = [{ status: 500 }, { status: 503, headers: { "Retry-After": "3600" } }, { status: 204 }];
    await recordAlertEvent(db, config, { now: clock.now() });
    const deps = createTestDeps({ db, config, clock, mailer: null });

    expect(await deliverOutbox(deps)).toMatchObject({ retried: 1 });
    const afterFirst = await db.outboxMessage.findFirstOrThrow();
    expect(afterFirst).toMatchObject({ status: "pending", attempts: 1, lastError: "HTTP 500" });
    expect(afterFirst.nextAttemptAt.getTime()).toBeGreaterThan(clock.now().getTime());

    clock.set(afterFirst.nextAttemptAt);
    expect(await deliverOutbox(deps)).toMatchObject({ retried: 1 });
    const afterSecond = await db.outboxMessage.findFirstOrThrow();
    expect(afterSecond.nextAttemptAt.getTime() - clock.now().getTime()).toBeGreaterThanOrEqual(3600 * 1000);

    clock.advanceSeconds(1800);
    expect(await deliverOutbox(deps)).toMatchObject({ claimed: 0 });
    clock.set(afterSecond.nextAttemptAt);
    expect(await deliverOutbox(deps)).toMatchObject({ sent: 1 });
    expect(received).toHaveLength(3);
    expect(new Set(received.map((request) => request.headers["x-srcwatch-delivery"])).size).toBe(1);
  });

  it("gives up at once on a 410: the receiver is gone", async () => {
    const config = configWith([{ id: "ops", path: "/gone" }]);
    answers["/gone"] = [{ status: 410 }];
    await recordAlertEvent(db, config, { now: clock.now() });
    expect(await deliverOutbox(createTestDeps({ db, config, clock, mailer: null }))).toMatchObject({ failed: 1 });
    expect(await db.outboxMessage.findFirstOrThrow()).toMatchObject({ status: "failed", attempts: 1, lastError: "HTTP 410" });
  });

  it("sends the resolve to the webhook that got the firing", async () => {
    const config = configWith([{ id: "ops", path: "/ops" }]);
    const { alertId } = await recordAlertEvent(db, config, { now: clock.now() });
    const deps = createTestDeps({ db, config, clock, mailer: null });
    await deliverOutbox(deps);
    clock.advanceSeconds(3600);
    await recordAlertEvent(db, config, { alertId, type: "resolved", now: clock.now() });
    await deliverOutbox(deps);
    expect(received.map((request) => [request.headers["x-srcwatch-event"], JSON.parse(request.body).alert.status])).toEqual([
      ["fired", "firing"],
      ["resolved", "resolved"],
    ]);
  });
});
