import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as confirmRoute } from "../../app/api/v1/subscriptions/confirm/route";
import { POST as subscribeRoute } from "../../app/api/v1/subscriptions/route";
import { POST as unsubscribeRoute } from "../../app/api/v1/subscriptions/unsubscribe/route";
import type { AlertDetails } from "../../core/alerts/types";
import { setConfigForTests } from "../../server/config/get-config";
import { setDbForTests, type Db } from "../../server/db/client";
import { createMailer } from "../../server/notifications/create-mailer";
import type { Mailer } from "../../server/notifications/mailer-types";
import { enqueueAlertNotifications } from "../../server/notifications/enqueue-alert-notifications";
import { getAlert } from "../../server/read/get-alert";
import { startMailCatcher, type MailCatcher } from "../../simulator/mail/start-mail-catcher";
import { deliverOutbox } from "../../worker/deliver-outbox";
import type { WorkerDeps } from "../../worker/worker-deps";
import { createNotificationConfig, createTestDeps, smtpSettings } from "../support/notification-fixtures";
import { createTestDatabase, testDatabaseProvider, type TestDatabase } from "../support/test-database";
import { encodeAlertDetails } from "../../core/alerts/alert-details-codec";

const API = "http://srcwatch.test/api/v1/subscriptions";

/** The web app and the worker on one database; mail really travels over SMTP to an in-process receiver. */
describe(`a maintainer subscribes by mail, confirms, gets what is firing and leaves with one click (${testDatabaseProvider()})`, () => {
  let database: TestDatabase;
  let db: Db;
  let catcher: MailCatcher;
  let mailer: Mailer;
  let deps: WorkerDeps;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    catcher = await startMailCatcher({ port: 0 });
    const config = createNotificationConfig({ email: smtpSettings(catcher.port) });
    mailer = createMailer(config.notifications)!;
    // Requests stamp rows with the wall clock (server/clock.ts), so the worker reads the same clock.
    deps = createTestDeps({ db, config, clock: { now: () => new Date(), set: () => {}, advanceSeconds: () => {} }, mailer });
    setDbForTests(db);
    setConfigForTests(config);
  });
  afterAll(async () => {
    setDbForTests(undefined);
    setConfigForTests(undefined);
    mailer?.close();
    await catcher?.close();
    await database?.drop();
  });

  const mailsTo = (address: string) => catcher.messages().filter((mail) => mail.to.includes(address));
  const subscribe = (body: unknown) =>
    subscribeRoute(
      new Request(API, {
        method: "POST",
        headers: { "content-type": "application/json", origin: new URL(API).origin },
        body: JSON.stringify(body),
      }),
    );

  async function insertFiringStop(): Promise<{ alertId: number; eventId: number; details: AlertDetails }> {
    const at = new Date(Date.now() - 3_600_000);
    const details: AlertDetails = { mirrorId: "git.centos.org", mirrorName: "git.centos.org", major: 8, items: [] };
    const key = "publishing_stopped/git.centos.org/8";
    const alert = await db.alert.create({
      data: {
        dedupeKey: key,
        firingKey: key,
        kind: "publishing_stopped",
        mirrorId: "git.centos.org",
        major: 8,
        status: "firing",
        summary: "git.centos.org stopped publishing RHEL 8",
        details: encodeAlertDetails(details),
        startsAt: at,
        lastChangedAt: at,
        notifiedAt: at,
        lastNotifiedAt: at,
      },
    });
    const event = await db.alertEvent.create({
      data: { alertId: alert.id, type: "fired", at, details: encodeAlertDetails(details, { table: "AlertEvent" }), notified: true },
    });
    // It has been firing a while: its latest notified event is a reminder.
    await db.alertEvent.create({
      data: {
        alertId: alert.id,
        type: "reminder",
        at: new Date(at.getTime() + 1_800_000),
        details: encodeAlertDetails(details, { table: "AlertEvent" }),
        notified: true,
      },
    });
    return { alertId: alert.id, eventId: event.id, details };
  }

  it("mails only the confirmation before the link is used, the firing alert after it, and nothing after one-click unsubscribe", async () => {
    const address = "maintainer@example.org";
    const stop = await insertFiringStop();

    expect((await subscribe({ email: address, scope: { mirrors: ["git.centos.org"], majors: [8] } })).status).toBe(202);
    await deliverOutbox(deps);
    const confirmation = await catcher.waitFor((mail) => mail.to.includes(address));
    expect(confirmation.headers["list-unsubscribe"]).toBeUndefined();
    const confirmUrl = /https?:\/\/\S+\/subscribe\/confirm\?token=[^\s"<>)]+/.exec(confirmation.text)?.[0];
    expect(confirmUrl, confirmation.text).toBeDefined();

    // Whatever fires meanwhile reaches active subscribers only: still just the confirmation here.
    await db.$transaction((tx) =>
      enqueueAlertNotifications(tx, {
        alert: { id: stop.alertId, kind: "publishing_stopped", mirrorId: "git.centos.org", major: 8 },
        event: { id: stop.eventId, type: "fired", details: stop.details },
        config: deps.config,
        now: new Date(),
      }),
    );
    await deliverOutbox(deps);
    expect(mailsTo(address)).toHaveLength(1);

    const token = new URL(confirmUrl!).searchParams.get("token")!;
    const confirmed = await confirmRoute(
      new Request(`${API}/confirm`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: new URL(API).origin },
        body: JSON.stringify({ token }),
      }),
    );
    expect(confirmed.status).toBe(200);
    expect(await confirmed.json()).toMatchObject({ subscription: { status: "active" }, queuedAlerts: 1 });

    await deliverOutbox(deps);
    const alertMail = await catcher.waitFor((mail) => mail.to.includes(address) && mail.messageId !== confirmation.messageId);
    // A newcomer hears of it as a fire, not as a "reminder" of something never told.
    expect(alertMail.subject).toBe("[srcwatch] FIRING: git.centos.org stopped publishing RHEL 8");
    expect(alertMail.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
    const oneClickUrl = /<(https?:\/\/[^>]+\/api\/v1\/subscriptions\/unsubscribe\?token=[^>]+)>/.exec(
      alertMail.headers["list-unsubscribe"] ?? "",
    )?.[1];
    expect(oneClickUrl, alertMail.headers["list-unsubscribe"]).toBeDefined();

    // What a mail provider does for RFC 8058: POST the header's URL with exactly this body, from its own site, without Origin.
    const { pathname, search } = new URL(oneClickUrl!);
    const left = await unsubscribeRoute(
      new Request(`http://srcwatch.test${pathname}${search}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "List-Unsubscribe=One-Click",
      }),
    );
    expect(left.status).toBe(200);
    expect((await db.subscription.findFirstOrThrow({ where: { email: address } })).status).toBe("unsubscribed");

    const reminder = await db.alertEvent.create({
      data: {
        alertId: stop.alertId,
        type: "reminder",
        at: new Date(),
        details: encodeAlertDetails(stop.details, { table: "AlertEvent" }),
        notified: true,
      },
    });
    const queued = await db.$transaction((tx) =>
      enqueueAlertNotifications(tx, {
        alert: { id: stop.alertId, kind: "publishing_stopped", mirrorId: "git.centos.org", major: 8 },
        event: { id: reminder.id, type: "reminder", details: stop.details },
        config: deps.config,
        now: new Date(),
      }),
    );
    expect(queued).toBe(0);
    await deliverOutbox(deps);
    expect(mailsTo(address)).toHaveLength(2);
  });

  it("reminds each subscriber on the schedule they chose, counted from their own last mail about the alert", async () => {
    await db.alert.deleteMany({});
    const stop = await insertFiringStop();
    const t0 = new Date();
    const ids: Record<string, number> = {};
    for (const reminders of ["daily", "weekly", "never"] as const) {
      const created = await db.subscription.create({
        data: {
          email: `${reminders}@example.org`,
          status: "active",
          scope: JSON.stringify({ mirrors: ["git.centos.org"] }),
          reminders,
          createdAt: t0,
          confirmedAt: t0,
        },
      });
      ids[reminders] = created.id;
    }
    const notify = async (type: "fired" | "reminder", at: Date) => {
      const event = await db.alertEvent.create({
        data: { alertId: stop.alertId, type, at, details: encodeAlertDetails(stop.details, { table: "AlertEvent" }), notified: true },
      });
      await db.$transaction((tx) =>
        enqueueAlertNotifications(tx, {
          alert: { id: stop.alertId, kind: "publishing_stopped", mirrorId: "git.centos.org", major: 8 },
          event: { id: event.id, type, details: stop.details },
          config: deps.config,
          now: at,
        }),
      );
      const rows = await db.outboxMessage.findMany({ where: { alertEventId: event.id }, select: { subscriptionId: true } });
      return rows.map((row) => Object.keys(ids).find((key) => ids[key] === row.subscriptionId)).sort();
    };
    const after = (hours: number) => new Date(t0.getTime() + hours * 3_600_000);

    expect(await notify("fired", t0)).toEqual(["daily", "never", "weekly"]);
    // The alert's reminder 0.8 s after everyone was told: nobody is reminded of what they just read.
    expect(await notify("reminder", new Date(t0.getTime() + 800))).toEqual([]);
    expect(await notify("reminder", after(24))).toEqual(["daily"]);
    expect(await notify("reminder", after(48))).toEqual(["daily"]);
    expect(await notify("reminder", after(24 * 7))).toEqual(["daily", "weekly"]);
    expect(await notify("reminder", after(24 * 8))).toEqual(["daily"]);

    // The alert page's timeline says what each event actually sent, per channel, and leaves out reminders that reached nobody.
    const events = (await getAlert(stop.alertId, { now: after(24 * 8) })).alert.events;
    expect(events.map((event) => [event.type, event.deliveries.email.sent + event.deliveries.email.waiting])).toEqual([
      // insertFiringStop's own events, from before anyone subscribed.
      ["fired", 0],
      ["reminder", 0],
      ["fired", 3],
      ["reminder", 0],
      ["reminder", 1],
      ["reminder", 1],
      ["reminder", 2],
      ["reminder", 1],
    ]);
  });
});
