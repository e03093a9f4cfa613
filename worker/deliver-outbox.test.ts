import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { encodeConfirmationPayload } from "../core/notifications/outbox-payload-codec";
import { encodeSubscriptionScope } from "../core/subscription-scope";
import { createDb, type Db } from "../server/db/client";
import { buildOutboxMessageId } from "../server/notifications/build-outbox-message-id";
import { createMailer } from "../server/notifications/create-mailer";
import type { Mailer } from "../server/notifications/mailer-types";
import { claimOutboxMessages } from "../server/outbox/claim-outbox-messages";
import { startMailCatcher, type MailCatcher } from "../simulator/mail/start-mail-catcher";
import {
  createNotificationConfig,
  createSubscription,
  createTestClock,
  createTestDeps,
  recordAlertEvent,
  smtpSettings,
} from "../test/support/notification-fixtures";
import { createTestDatabase, testDatabaseProvider, type TestDatabase } from "../test/support/test-database";
import { computeRetryDelaySeconds, EMAIL_NOT_CONFIGURED } from "../server/outbox/settle-outbox-message";
import { deliverOutbox } from "./deliver-outbox";

describe("computeRetryDelaySeconds", () => {
  const delivery = { maxAttempts: 12, backoffBaseSeconds: 60, backoffMaxSeconds: 3600, claimSeconds: 120 };
  it("doubles from the base, caps at the maximum and jitters by at most 10 %", () => {
    expect([0, 1, 2, 3, 6, 7, 40].map((attempts) => computeRetryDelaySeconds(attempts, delivery, () => 0.5))).toEqual([
      60, 120, 240, 480, 3600, 3600, 3600,
    ]);
    expect(computeRetryDelaySeconds(2, delivery, () => 0)).toBe(216);
    expect(computeRetryDelaySeconds(2, delivery, () => 0.999999)).toBe(264);
  });
});

describe(`deliverOutbox over SMTP (${testDatabaseProvider()})`, () => {
  let database: TestDatabase;
  let db: Db;
  let catcher: MailCatcher;
  let mailers: Mailer[] = [];
  const clock = createTestClock("2023-06-16T10:00:00Z");

  function newMailer(config = createNotificationConfig({ email: smtpSettings(catcher.port) })): Mailer {
    const mailer = createMailer(config.notifications);
    if (!mailer) throw new Error("no mailer");
    mailers.push(mailer);
    return mailer;
  }

  function depsWith(options: { mailer?: Mailer | null; db?: Db; notifications?: Record<string, unknown> } = {}) {
    const config = createNotificationConfig({ email: smtpSettings(catcher.port), ...options.notifications });
    return createTestDeps({
      db: options.db ?? db,
      config,
      clock,
      mailer: options.mailer === undefined ? newMailer(config) : options.mailer,
    });
  }

  async function everyMessageIdOnce(): Promise<void> {
    const ids = catcher.messages().map((mail) => mail.messageId);
    expect(new Set(ids).size).toBe(ids.length);
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    catcher = await startMailCatcher({ port: 0 });
  });
  afterAll(async () => {
    for (const mailer of mailers) mailer.close();
    await catcher?.close();
    await database?.drop();
  });
  beforeEach(async () => {
    await catcher.start();
    catcher.clear();
    for (const mailer of mailers) mailer.close();
    mailers = [];
    await db.outboxMessage.deleteMany();
    await db.alertEvent.deleteMany();
    await db.alert.deleteMany();
    await db.subscription.deleteMany();
    clock.set(new Date("2023-06-16T10:00:00Z"));
  });

  it("sends exactly one mail per subscriber per event, and only to active subscribers in scope", async () => {
    const deps = depsWith();
    const now = clock.now();
    await createSubscription(db, { email: "alma@example.org", now });
    await createSubscription(db, { email: "bob@example.org", now });
    await createSubscription(db, { email: "pending@example.org", status: "pending", now });
    await createSubscription(db, { email: "gone@example.org", status: "unsubscribed", now });
    await createSubscription(db, {
      email: "rhel9@example.org",
      scope: encodeSubscriptionScope({ majors: [9], kinds: ["publishing_stopped"] }),
      now,
    });

    const { queued } = await recordAlertEvent(db, deps.config, { now });
    expect(queued).toBe(2);
    expect(await deliverOutbox(deps)).toMatchObject({ claimed: 2, sent: 2, retried: 0, failed: 0 });
    expect(await deliverOutbox(deps)).toMatchObject({ claimed: 0, sent: 0 });

    const mails = catcher.messages();
    expect(mails.map((mail) => mail.to[0]).sort()).toEqual(["alma@example.org", "bob@example.org"]);
    const rows = await db.outboxMessage.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((row) => row.status)).toEqual(["sent", "sent"]);
    for (const row of rows) {
      const mail = mails.find((candidate) => candidate.to[0] === row.recipient);
      expect(mail?.messageId).toBe(buildOutboxMessageId(row));
      expect(row.providerId).toBe(mail?.messageId);
      expect(row.sentAt).toEqual(now);
    }
    const [mail] = mails;
    expect(mail.subject).toBe("[srcwatch] FIRING: git.centos.org stopped publishing RHEL 8");
    expect(mail.from).toBe("alerts@srcwatch.example.org");
    expect(mail.headers["list-unsubscribe"]).toMatch(
      /^<https:\/\/srcwatch\.example\.org\/api\/v1\/subscriptions\/unsubscribe\?token=[^>]+>$/,
    );
    expect(mail.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
    expect(mail.headers["auto-submitted"]).toBe("auto-generated");
    expect(mail.text).toContain("RHSA-2023:3588");
    expect(mail.html).toContain("https://srcwatch.example.org/alerts/");
  });

  it("delivers exactly once when a worker dies between claiming and sending, after the claim expires", async () => {
    const deps = depsWith();
    await createSubscription(db, { email: "alma@example.org", now: clock.now() });
    await createSubscription(db, { email: "bob@example.org", now: clock.now() });
    await recordAlertEvent(db, deps.config, { now: clock.now() });

    // The first worker claims both rows, then its process is killed before it sends anything.
    const dead = await claimOutboxMessages(db, {
      now: clock.now(),
      workerId: "worker-killed",
      limit: 50,
      claimSeconds: deps.config.notifications.delivery.claimSeconds,
    });
    expect(dead).toHaveLength(2);
    expect(await deliverOutbox(deps)).toMatchObject({ claimed: 0, sent: 0 });

    clock.advanceSeconds(deps.config.notifications.delivery.claimSeconds - 1);
    expect(await deliverOutbox(deps)).toMatchObject({ claimed: 0 });
    clock.advanceSeconds(2);

    // A restarted process: a new database client and a new mailer.
    const restartedDb = createDb(database.target);
    try {
      const restarted = depsWith({ db: restartedDb });
      expect(await deliverOutbox(restarted)).toMatchObject({ claimed: 2, sent: 2 });
      expect(await deliverOutbox(restarted)).toMatchObject({ claimed: 0 });
    } finally {
      await restartedDb.$disconnect();
    }
    expect(
      catcher
        .messages()
        .map((mail) => mail.to[0])
        .sort(),
    ).toEqual(["alma@example.org", "bob@example.org"]);
    await everyMessageIdOnce();
  });

  it("loses nothing and sends nothing twice when the SMTP server is down for an hour", async () => {
    const deps = depsWith();
    for (const email of ["a@example.org", "b@example.org", "c@example.org"]) await createSubscription(db, { email, now: clock.now() });
    const first = await recordAlertEvent(db, deps.config, { now: clock.now() });
    await catcher.stop();

    let attemptsMade = 0;
    for (let minute = 0; minute <= 60; minute += 1) {
      // A second event of the alert while the server is down (a change: a reminder 20 min on would not be due for anyone).
      if (minute === 20) await recordAlertEvent(db, deps.config, { alertId: first.alertId, type: "grew", now: clock.now() });
      const counts = await deliverOutbox(deps);
      expect(counts.sent).toBe(0);
      attemptsMade += counts.retried;
      clock.advanceSeconds(60);
    }
    const down = await db.outboxMessage.findMany({ orderBy: { id: "asc" } });
    expect(down).toHaveLength(6);
    expect(down.every((row) => row.status === "pending" && row.lastError !== null)).toBe(true);
    // Backoff: a handful of attempts per row in an hour, not one per minute.
    expect(attemptsMade).toBe(down.reduce((sum, row) => sum + row.attempts, 0));
    expect(Math.max(...down.map((row) => row.attempts))).toBeLessThanOrEqual(7);
    expect(Math.min(...down.map((row) => row.attempts))).toBeGreaterThanOrEqual(3);
    expect(catcher.messages()).toEqual([]);

    await catcher.start();
    for (let step = 0; step < 48; step += 1) {
      await deliverOutbox(deps);
      clock.advanceSeconds(300);
    }
    const rows = await db.outboxMessage.findMany();
    expect(rows.every((row) => row.status === "sent")).toBe(true);
    expect(catcher.messages()).toHaveLength(6);
    await everyMessageIdOnce();
    // Each subscriber got both events, the fire and the change queued while the server was down, once each.
    expect(
      catcher
        .messages()
        .map((mail) => mail.to[0])
        .sort(),
    ).toEqual(["a@example.org", "a@example.org", "b@example.org", "b@example.org", "c@example.org", "c@example.org"]);
  });

  it("gives up after maxAttempts and says why", async () => {
    const deps = depsWith({
      notifications: { delivery: { maxAttempts: 3, backoffBaseSeconds: 60, backoffMaxSeconds: 600, claimSeconds: 60 } },
    });
    await createSubscription(db, { email: "a@example.org", now: clock.now() });
    await recordAlertEvent(db, deps.config, { now: clock.now() });
    await catcher.stop();
    for (let step = 0; step < 30; step += 1) {
      await deliverOutbox(deps);
      clock.advanceSeconds(120);
    }
    const [row] = await db.outboxMessage.findMany();
    expect(row).toMatchObject({ status: "failed", attempts: 3 });
    expect(row.lastError).toMatch(/ECONNREFUSED|connect/i);
  });

  it("never sends the same row twice from two concurrent workers", async () => {
    const second = createDb(database.target);
    try {
      const workerA = depsWith();
      const workerB = depsWith({ db: second });
      for (let index = 0; index < 12; index += 1) await createSubscription(db, { email: `s${index}@example.org`, now: clock.now() });
      await recordAlertEvent(db, workerA.config, { now: clock.now() });
      await recordAlertEvent(db, workerA.config, { now: clock.now(), major: 9 });

      const [a, b] = await Promise.all([
        deliverOutbox(workerA, { limit: 30, workerId: "a" }),
        deliverOutbox(workerB, { limit: 30, workerId: "b" }),
      ]);
      expect(a.sent + b.sent).toBe(24);
      expect(a.claimed + b.claimed).toBe(24);
      expect(catcher.messages()).toHaveLength(24);
      await everyMessageIdOnce();
      const senders = await db.outboxMessage.groupBy({ by: ["status"], _count: { _all: true } });
      expect(senders).toEqual([{ status: "sent", _count: { _all: 24 } }]);
    } finally {
      await second.$disconnect();
    }
  });

  it("cancels a notification whose subscriber unsubscribed before it went out", async () => {
    const deps = depsWith();
    const subscription = await createSubscription(db, { email: "leaving@example.org", now: clock.now() });
    await recordAlertEvent(db, deps.config, { now: clock.now() });
    await db.subscription.update({
      where: { id: subscription.id },
      data: { status: "unsubscribed", unsubscribedAt: clock.now(), tokenVersion: { increment: 1 } },
    });

    expect(await deliverOutbox(deps)).toMatchObject({ claimed: 1, sent: 0, cancelled: 1 });
    expect(catcher.messages()).toEqual([]);
    expect(await db.outboxMessage.findFirst()).toMatchObject({ status: "cancelled" });
  });

  it("sends the confirmation to a pending subscription, and never an alert", async () => {
    const deps = depsWith();
    const pending = await createSubscription(db, {
      email: "new@example.org",
      status: "pending",
      scope: encodeSubscriptionScope({ mirrors: ["git.centos.org"], majors: [8], kinds: ["publishing_stopped"] }),
      now: clock.now(),
    });
    const { alertId, eventId } = await recordAlertEvent(db, deps.config, { now: clock.now() });
    const outboxRow = {
      channel: "email",
      recipient: pending.email,
      subscriptionId: pending.id,
      status: "pending",
      nextAttemptAt: clock.now(),
      createdAt: clock.now(),
    };
    await db.outboxMessage.create({
      data: {
        ...outboxRow,
        dedupeKey: `confirm/${pending.id}/0`,
        kind: "confirmation",
        payload: encodeConfirmationPayload({ subscriptionId: pending.id }),
      },
    });
    // Even a row that somehow points an alert at the pending address is not sent.
    await db.outboxMessage.create({
      data: {
        ...outboxRow,
        dedupeKey: `alert-event/${eventId}/subscription/${pending.id}`,
        kind: "alert",
        alertId,
        alertEventId: eventId,
        payload: "{}",
      },
    });

    expect(await deliverOutbox(deps)).toMatchObject({ claimed: 2, sent: 1, cancelled: 1 });
    const [mail] = catcher.messages();
    expect(catcher.messages()).toHaveLength(1);
    expect(mail.subject).toBe("[srcwatch] Confirm your srcwatch subscription");
    expect(mail.to).toEqual(["new@example.org"]);
    expect(mail.text).toMatch(/https:\/\/srcwatch\.example\.org\/subscribe\/confirm\?token=\S+/);
    expect(mail.text).toContain("Mirrors: git.centos.org");
    expect(mail.headers["list-unsubscribe"]).toBeUndefined();
    expect(await db.outboxMessage.findFirst({ where: { kind: "alert" } })).toMatchObject({ status: "cancelled" });
  });

  it("keeps CR/LF in alert data out of the headers: no injected recipient, one subject line", async () => {
    const deps = depsWith();
    await createSubscription(db, { email: "alma@example.org", now: clock.now() });
    await recordAlertEvent(db, deps.config, {
      now: clock.now(),
      summary: "stopped\r\nBcc: victim@evil.example\r\nX-Injected: yes\r\n\r\nfake body",
    });
    await deliverOutbox(deps);

    const mails = catcher.messages();
    expect(mails).toHaveLength(1);
    expect(mails[0].to).toEqual(["alma@example.org"]);
    expect(mails[0].subject).toBe("[srcwatch] FIRING: stopped Bcc: victim@evil.example X-Injected: yes fake body");
    expect(mails[0].headers["x-injected"]).toBeUndefined();
    expect(mails[0].headers.bcc).toBeUndefined();
  });

  it("gives up at once, naming the row, on a message whose stored payload does not decode", async () => {
    const deps = depsWith();
    const subscription = await createSubscription(db, { email: "alma@example.org", now: clock.now() });
    const { alertId, eventId } = await recordAlertEvent(db, deps.config, { now: clock.now() });
    await db.outboxMessage.deleteMany();
    const row = await db.outboxMessage.create({
      data: {
        dedupeKey: `alert-event/${eventId}/subscription/${subscription.id}`,
        channel: "email",
        kind: "alert",
        recipient: subscription.email,
        subscriptionId: subscription.id,
        alertId,
        alertEventId: eventId,
        payload: '{"matchedAdvisoryIds":"RHSA-2023:3588"}',
        status: "pending",
        nextAttemptAt: clock.now(),
        createdAt: clock.now(),
      },
    });
    expect(await deliverOutbox(deps)).toMatchObject({ failed: 1, retried: 0, sent: 0 });
    expect(catcher.messages()).toEqual([]);
    expect(await db.outboxMessage.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      status: "failed",
      lastError: expect.stringMatching(
        new RegExp(`^OutboxMessage\\.payload of row ${row.id}: not a valid AlertNotificationPayload: matchedAdvisoryIds`),
      ),
    });
  });

  it("refuses a recipient that is more than one plain address", async () => {
    const deps = depsWith();
    const sneaky = await createSubscription(db, { email: "a@example.org, victim@evil.example", status: "pending", now: clock.now() });
    await db.outboxMessage.create({
      data: {
        dedupeKey: `confirm/${sneaky.id}/0`,
        channel: "email",
        kind: "confirmation",
        recipient: sneaky.email,
        subscriptionId: sneaky.id,
        payload: encodeConfirmationPayload({ subscriptionId: sneaky.id }),
        status: "pending",
        nextAttemptAt: clock.now(),
        createdAt: clock.now(),
      },
    });
    expect(await deliverOutbox(deps)).toMatchObject({ failed: 1, sent: 0 });
    expect(catcher.messages()).toEqual([]);
  });

  it("leaves mail in the outbox, attempts untouched, while email is not configured", async () => {
    const deps = depsWith({ mailer: null });
    await createSubscription(db, { email: "alma@example.org", now: clock.now() });
    await recordAlertEvent(db, deps.config, { now: clock.now() });
    expect(await deliverOutbox(deps)).toMatchObject({ claimed: 0, sent: 0 });
    expect(await db.outboxMessage.findFirst()).toMatchObject({ status: "pending", attempts: 0, lastError: EMAIL_NOT_CONFIGURED });

    expect(await deliverOutbox(depsWith())).toMatchObject({ sent: 1 });
    expect(catcher.messages()).toHaveLength(1);
  });
});
