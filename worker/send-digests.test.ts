import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { decodeDigestPayload } from "../core/notifications/outbox-payload-codec";
import type { Db } from "../server/db/client";
import { createMailer } from "../server/notifications/create-mailer";
import type { Mailer } from "../server/notifications/mailer-types";
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
import { deliverOutbox } from "./deliver-outbox";
import { sendDigests } from "./send-digests";

describe(`sendDigests (${testDatabaseProvider()})`, () => {
  let database: TestDatabase;
  let db: Db;
  let catcher: MailCatcher;
  let mailer: Mailer;
  const clock = createTestClock("2023-06-16T05:00:00Z");

  function deps() {
    const config = createNotificationConfig({ email: smtpSettings(catcher.port), digestHourUtc: 7 });
    return createTestDeps({ db, config, clock, mailer });
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    catcher = await startMailCatcher();
    mailer = createMailer(createNotificationConfig({ email: smtpSettings(catcher.port) }).notifications)!;
  });
  afterAll(async () => {
    mailer?.close();
    await catcher?.close();
    await database?.drop();
  });
  beforeEach(async () => {
    catcher.clear();
    await db.outboxMessage.deleteMany();
    await db.alertEvent.deleteMany();
    await db.alert.deleteMany();
    await db.subscription.deleteMany();
    clock.set(new Date("2023-06-16T05:00:00Z"));
  });

  it("bundles a day's held notifications into one mail at the digest hour, once", async () => {
    const daily = await createSubscription(db, { email: "daily@example.org", delivery: "daily", now: clock.now() });
    await createSubscription(db, { email: "now@example.org", now: clock.now() });
    const first = await recordAlertEvent(db, deps().config, { now: clock.now() });
    await recordAlertEvent(db, deps().config, {
      now: clock.now(),
      kind: "mirror_stale",
      major: null,
      summary: "git.centos.org cannot be polled",
      items: [],
    });
    expect(await db.outboxMessage.count({ where: { subscriptionId: daily.id, status: "held" } })).toBe(2);

    expect(await deliverOutbox(deps())).toMatchObject({ sent: 2 });
    expect(catcher.messages().map((mail) => mail.to[0])).toEqual(["now@example.org", "now@example.org"]);
    catcher.clear();

    clock.set(new Date("2023-06-16T06:59:59Z"));
    expect(await sendDigests(deps())).toEqual({ digests: 0 });
    clock.set(new Date("2023-06-16T07:00:00Z"));
    expect(await sendDigests(deps())).toEqual({ digests: 1 });
    expect(await sendDigests(deps())).toEqual({ digests: 0 });

    const digest = await db.outboxMessage.findFirstOrThrow({ where: { kind: "digest" } });
    expect(digest).toMatchObject({ dedupeKey: `digest/${daily.id}/2023-06-16`, status: "pending", recipient: "daily@example.org" });
    expect(decodeDigestPayload(digest.payload, digest.id)).toMatchObject({
      subscriptionId: daily.id,
      date: "2023-06-16",
      outboxIds: [expect.any(Number), expect.any(Number)],
    });
    expect(await db.outboxMessage.count({ where: { subscriptionId: daily.id, status: "bundled" } })).toBe(2);

    expect(await deliverOutbox(deps())).toMatchObject({ sent: 1 });
    const [mail] = catcher.messages();
    expect(catcher.messages()).toHaveLength(1);
    expect(mail.to).toEqual(["daily@example.org"]);
    expect(mail.subject).toBe("[srcwatch] Daily digest 2023-06-16: 2 alert notifications");
    expect(mail.text).toContain("FIRING: git.centos.org stopped publishing RHEL 8");
    expect(mail.text).toContain("FIRING: git.centos.org cannot be polled");
    expect(mail.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");

    // Held after today's digest: waits for tomorrow's.
    clock.set(new Date("2023-06-16T12:00:00Z"));
    await recordAlertEvent(db, deps().config, { alertId: first.alertId, type: "resolved", now: clock.now() });
    expect(await sendDigests(deps())).toEqual({ digests: 0 });
    clock.set(new Date("2023-06-17T07:30:00Z"));
    expect(await sendDigests(deps())).toEqual({ digests: 1 });
    await deliverOutbox(deps());
    expect(
      catcher
        .messages()
        .filter((mail) => mail.to[0] === "daily@example.org")
        .map((mail) => mail.subject),
    ).toEqual(["[srcwatch] Daily digest 2023-06-16: 2 alert notifications", "[srcwatch] Daily digest 2023-06-17: 1 alert notification"]);
  });

  it("sends no digest when nothing is held, and none to a subscriber who left", async () => {
    clock.set(new Date("2023-06-16T08:00:00Z"));
    expect(await sendDigests(deps())).toEqual({ digests: 0 });
    const leaving = await createSubscription(db, { email: "leaving@example.org", delivery: "daily", now: clock.now() });
    await recordAlertEvent(db, deps().config, { now: clock.now() });
    await db.subscription.update({ where: { id: leaving.id }, data: { status: "unsubscribed" } });
    expect(await sendDigests(deps())).toEqual({ digests: 0 });
    expect(await db.outboxMessage.count({ where: { kind: "digest" } })).toBe(0);
  });
});
