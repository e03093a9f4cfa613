import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateAlertRules } from "../../core/alerts/evaluate-alert-rules";
import { NotificationsConfig, type MirrorConfig } from "../../core/config";
import { readCarriedUpdates } from "../../server/alerts/read-mirror-publishing";
import { setConfigForTests } from "../../server/config/get-config";
import { setDbForTests } from "../../server/db/client";
import { getMirrorHistory } from "../../server/read/get-mirror-history";
import { MirrorHistoryQuery } from "../../contract/mirror-history-dto";
import { JUNE_2023_DEFAULT_CUTOFF } from "../../simulator/scenarios/june-2023";
import { createMailer } from "../../server/notifications/create-mailer";
import { startMailCatcher, type MailCatcher } from "../../simulator/mail/start-mail-catcher";
import { deliverOutbox } from "../../worker/deliver-outbox";
import { evaluateAlerts } from "../../server/alerts/evaluate-alerts";
import { evaluateMirrorVerdicts } from "../../server/verdicts/evaluate-mirror-verdicts";
import { pollMirror } from "../../worker/poll-mirror";
import { pollUpstream } from "../../worker/poll-upstream";
import { runPollCycle } from "../../worker/run-poll-cycle";
import type { WorkerDeps } from "../../worker/worker-deps";
import { testDatabaseProvider } from "../support/test-database";
import { startWorkerHarness, type WorkerHarness } from "../support/worker-harness";
import { decodeAlertDetails } from "../../core/alerts/alert-details-codec";
import { encodeSubscriptionScope } from "../../core/subscription-scope";

const POLL_INTERVAL_MS = 1800_000;
const HOUR_MS = 3_600_000;
const CENTOS = "git.centos.org";
const CUTOFF = new Date(JUNE_2023_DEFAULT_CUTOFF);
const RESUME_AT = new Date("2023-07-03T00:00:00Z");
/** When the stop alert fires on this replay: the first poll after the rule's threshold is crossed. */
const EXPECTED_STOP_DAY = "2023-06-14";

/** Hundreds of poll cycles: generous on a loaded 2-core machine (nothing here asserts speed). */
const SLOW_TEST_MS = 400_000;

const ALL_KINDS_SCOPE = encodeSubscriptionScope({
  mirrors: [],
  majors: [],
  kinds: ["publishing_stopped", "update_missing", "update_delayed", "mirror_stale"],
  severities: [],
  packagePatterns: [],
});

async function addActiveSubscriber(harness: WorkerHarness, email: string) {
  const at = harness.clock.now();
  return harness.database.db.subscription.create({
    data: { email, status: "active", scope: ALL_KINDS_SCOPE, createdAt: at, confirmedAt: at },
  });
}

/** The pure rule over what the database holds now: would a stop of this mirror × major fire? */
async function isStopPerRule(harness: WorkerHarness, mirror: MirrorConfig, major: number): Promise<boolean> {
  const now = harness.clock.now();
  const db = harness.database.db;
  const [updatesByMajor, state] = await Promise.all([
    readCarriedUpdates(db, mirror, now),
    db.sourceState.findUnique({ where: { sourceId: mirror.id } }),
  ]);
  const { changes } = evaluateAlertRules({
    mirror,
    now,
    freshness: state,
    updatesByMajor,
    firing: [],
    silences: [],
    policy: harness.config.notifications,
  });
  return changes.some((change) => change.type === "fire" && change.kind === "publishing_stopped" && change.major === major);
}

/** The harness's worker, with email configured and a real SMTP server (the mail catcher) to deliver to. */
function withMail(harness: WorkerHarness, catcher: MailCatcher): WorkerDeps {
  const notifications = NotificationsConfig.parse({
    publicUrl: "https://srcwatch.example.org",
    email: { smtp: { host: "127.0.0.1", port: catcher.port }, from: "srcwatch <alerts@srcwatch.example.org>" },
  });
  return { ...harness.deps, config: { ...harness.config, notifications }, mailer: createMailer(notifications) };
}

async function deliverAll(deps: WorkerDeps): Promise<void> {
  for (let pass = 0; pass < 50; pass++) if ((await deliverOutbox(deps, { limit: 50 })).claimed === 0) return;
}

const findFiring = (harness: WorkerHarness, kind: string, mirrorId: string, major: number | null) =>
  harness.database.db.alert.findFirst({ where: { kind, mirrorId, major, status: "firing" } });

describe(`alerts on the june-2023 replay: git.centos.org stops, then resumes (${testDatabaseProvider()})`, () => {
  let harness: WorkerHarness;
  let centos: MirrorConfig;
  let subscriberId: number;
  let stopAlertId: number;
  let catcher: MailCatcher;
  let mailDeps: WorkerDeps;

  beforeAll(async () => {
    harness = await startWorkerHarness({ start: "2023-06-10T00:00:00Z", startDate: "2023-04-01", resumeAt: RESUME_AT.toISOString() });
    catcher = await startMailCatcher();
    mailDeps = withMail(harness, catcher);
    centos = harness.config.mirrors.find((mirror) => mirror.id === CENTOS)!;
    subscriberId = (await addActiveSubscriber(harness, "sig-lead@example.org")).id;
    await runPollCycle(harness.deps);
  }, SLOW_TEST_MS);
  afterAll(async () => {
    mailDeps?.mailer?.close();
    await catcher?.close();
    await harness?.close();
  });

  it(
    `fires "git.centos.org stopped publishing RHEL 8" within one poll cycle of the rule's threshold (${EXPECTED_STOP_DAY})`,
    async () => {
      const startedMs = Date.now();
      let ruleSaysStoppedAt: Date | null = null;
      let firedAt: Date | null = null;
      let cycles = 0;
      while (!firedAt && harness.clock.now() < new Date("2023-06-30T00:00:00Z")) {
        harness.clock.advance(POLL_INTERVAL_MS);
        await runPollCycle(harness.deps);
        cycles++;
        if (!ruleSaysStoppedAt && (await isStopPerRule(harness, centos, 8))) ruleSaysStoppedAt = harness.clock.now();
        if (await findFiring(harness, "publishing_stopped", CENTOS, 8)) firedAt = harness.clock.now();
      }
      console.log(
        `publishing_stopped ${CENTOS} RHEL 8 fired at ${firedAt?.toISOString()} (rule first true at ${ruleSaysStoppedAt?.toISOString()}), ${cycles} cycles in ${Date.now() - startedMs} ms`,
      );
      expect(ruleSaysStoppedAt).not.toBeNull();
      expect(firedAt).not.toBeNull();
      expect(firedAt!.getTime() - ruleSaysStoppedAt!.getTime()).toBeLessThanOrEqual(POLL_INTERVAL_MS);
      expect(firedAt!.getTime()).toBeGreaterThan(CUTOFF.getTime());
      expect(firedAt!.toISOString().slice(0, 10)).toBe(EXPECTED_STOP_DAY);

      const alert = (await findFiring(harness, "publishing_stopped", CENTOS, 8))!;
      stopAlertId = alert.id;
      const details = decodeAlertDetails(alert.details, { table: "Alert", id: alert.id });
      console.log(`${alert.summary}; ${JSON.stringify(details.stop)}`);
      expect(alert.summary).toContain("git.centos.org stopped publishing RHEL 8");
      expect(new Date(details.stop!.lastPublishedAt).getTime()).toBeLessThan(CUTOFF.getTime());
      expect(details.stop!.normalLagSource).toBe("learned");
      // The threshold: the stoppedMinOverdueUpdates-th update released since the stop turns overdue.
      const thresholdItem = [...details.items].sort((a, b) => a.issuedAt.localeCompare(b.issuedAt))[
        centos.alerts.stoppedMinOverdueUpdates - 1
      ];
      const crossedAtMs = Date.parse(thresholdItem.issuedAt) + details.stop!.normalLagHours * HOUR_MS;
      expect(firedAt!.getTime() - crossedAtMs).toBeGreaterThanOrEqual(-6 * 60_000); // normalLagHours is rounded to 0.1 h
      expect(firedAt!.getTime() - crossedAtMs).toBeLessThan(POLL_INTERVAL_MS + 6 * 60_000);

      const fired = await harness.database.db.alertEvent.findFirstOrThrow({ where: { alertId: alert.id, type: "fired" } });
      expect(fired.notified).toBe(true);
      expect(await harness.database.db.outboxMessage.count({ where: { alertEventId: fired.id, subscriptionId: subscriberId } })).toBe(1);

      // Delivered over SMTP: one FIRING mail carrying the evidence.
      await deliverAll(mailDeps);
      const firing = catcher.messages().filter((mail) => /FIRING: git\.centos\.org stopped publishing RHEL 8/.test(mail.subject));
      expect(firing.map((mail) => mail.to)).toEqual([["sig-lead@example.org"]]);
      expect(firing[0].text).toContain(thresholdItem.advisoryId);
      expect(firing[0].headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
    },
    SLOW_TEST_MS,
  );

  it(
    "queues no per-update notification for git.centos.org RHEL 8 while the stop fires",
    async () => {
      expect(stopAlertId).toBeDefined();
      const stopStartedAt = harness.clock.now();
      const mailsBeforeStop = catcher.messages().length;
      // Up to an hour before the resumption, coarsely: what is checked is what got queued, not when.
      const lastStepAt = RESUME_AT.getTime() - HOUR_MS;
      while (harness.clock.now().getTime() < lastStepAt) {
        harness.clock.set(new Date(Math.min(harness.clock.now().getTime() + 12 * HOUR_MS, lastStepAt)));
        await runPollCycle(harness.deps);
        expect(await findFiring(harness, "publishing_stopped", CENTOS, 8)).toMatchObject({ id: stopAlertId });
      }
      const db = harness.database.db;
      const folded = await db.alert.findMany({ where: { mirrorId: CENTOS, major: 8, kind: { in: ["update_missing", "update_delayed"] } } });
      const missing = folded.find((alert) => alert.kind === "update_missing" && alert.status === "firing");
      expect(missing).toMatchObject({ inhibitedById: stopAlertId });
      expect(decodeAlertDetails(missing!.details, { table: "Alert", id: missing!.id }).items.length).toBeGreaterThanOrEqual(3);
      const queued = await db.outboxMessage.findMany({
        where: { alertId: { in: folded.map((alert) => alert.id) }, createdAt: { gte: stopStartedAt } },
      });
      expect(queued).toEqual([]);
      const loudEvents = await db.alertEvent.findMany({
        where: { alertId: { in: folded.map((alert) => alert.id) }, at: { gte: stopStartedAt }, notified: true },
      });
      expect(loudEvents).toEqual([]);
      await deliverAll(mailDeps);
      const duringStop = catcher.messages().slice(mailsBeforeStop);
      expect(
        duringStop
          .filter((mail) => mail.subject.includes(CENTOS) && /RHEL 8 updates? (missing|delayed)/.test(mail.subject))
          .map((mail) => mail.subject),
      ).toEqual([]);
      // What did come about git.centos.org RHEL 8 is the stop itself (reminders, its list growing).
      const rhel8 = duringStop.filter((mail) => mail.subject.includes(CENTOS) && /RHEL 8\b/.test(mail.subject));
      expect(rhel8.length).toBeGreaterThan(0);
      expect(rhel8.filter((mail) => !/stopped publishing RHEL 8/.test(mail.subject)).map((mail) => mail.subject)).toEqual([]);
    },
    SLOW_TEST_MS,
  );

  it(
    "resolves the stop when git.centos.org imports again and queues the resolve for the subscriber who got the fire",
    async () => {
      const db = harness.database.db;
      const late = await addActiveSubscriber(harness, "came-later@example.org");
      let resolvedAt: Date | null = null;
      while (!resolvedAt && harness.clock.now() < new Date(RESUME_AT.getTime() + 2 * 24 * HOUR_MS)) {
        harness.clock.advance(POLL_INTERVAL_MS);
        await runPollCycle(harness.deps);
        const alert = await db.alert.findUniqueOrThrow({ where: { id: stopAlertId } });
        if (alert.status === "resolved") resolvedAt = alert.resolvedAt;
      }
      console.log(`publishing_stopped ${CENTOS} RHEL 8 resolved at ${resolvedAt?.toISOString()}`);
      expect(resolvedAt).not.toBeNull();
      expect(resolvedAt!.getTime() - RESUME_AT.getTime()).toBeLessThanOrEqual(2 * POLL_INTERVAL_MS);
      const resolved = await db.alertEvent.findFirstOrThrow({ where: { alertId: stopAlertId, type: "resolved" } });
      expect(resolved.notified).toBe(true);
      const told = await db.outboxMessage.findMany({
        where: { alertId: stopAlertId, alertEventId: { not: resolved.id } },
        select: { subscriptionId: true },
        distinct: ["subscriptionId"],
      });
      const mails = await db.outboxMessage.findMany({
        where: { alertEventId: resolved.id },
        select: { subscriptionId: true, recipient: true },
      });
      expect(mails).toContainEqual({ subscriptionId: subscriberId, recipient: "sig-lead@example.org" });
      expect(mails.map((mail) => mail.subscriptionId).sort()).toEqual(told.map((row) => row.subscriptionId).sort());
      // Whoever was never told about the stop hears nothing of its end.
      if (!told.some((row) => row.subscriptionId === late.id)) expect(mails.some((mail) => mail.subscriptionId === late.id)).toBe(false);
      expect(await db.alert.findFirst({ where: { firingKey: `publishing_stopped/${CENTOS}/8` } })).toBeNull();

      // The resolve arrives by mail, to the subscriber who had the FIRING mail, once.
      await deliverAll(mailDeps);
      const resolves = catcher.messages().filter((mail) => /RESOLVED: git\.centos\.org stopped publishing RHEL 8/.test(mail.subject));
      expect(resolves.map((mail) => mail.to[0]).filter((to) => to === "sig-lead@example.org")).toHaveLength(1);
      if (!told.some((row) => row.subscriptionId === late.id))
        expect(resolves.some((mail) => mail.to.includes("came-later@example.org"))).toBe(false);
    },
    SLOW_TEST_MS,
  );
});

describe(`alerts on the june-2023 replay: git.centos.org never resumes, on to October (${testDatabaseProvider()})`, () => {
  let harness: WorkerHarness;

  beforeAll(async () => {
    harness = await startWorkerHarness({ start: "2023-06-10T00:00:00Z", startDate: "2023-04-01" });
    setDbForTests(harness.database.db);
    setConfigForTests(harness.config);
    await runPollCycle(harness.deps);
  }, SLOW_TEST_MS);
  afterAll(async () => {
    setDbForTests(undefined);
    setConfigForTests(undefined);
    await harness?.close();
  });

  it(
    "still names the real last publication (2023-06-05) months into the stop, on the alert and the mirror page alike",
    async () => {
      const startedMs = Date.now();
      let firstSummary: string | null = null;
      while (harness.clock.now() < new Date("2023-10-05T00:00:00Z")) {
        // Twice a day until the stop fires, then weekly: every poll cycle reads the whole open backlog, which only grows.
        harness.clock.advance(firstSummary === null ? 12 * HOUR_MS : 7 * 24 * HOUR_MS);
        await runPollCycle(harness.deps);
        firstSummary ??= (await findFiring(harness, "publishing_stopped", CENTOS, 8))?.summary ?? null;
      }
      const alert = (await findFiring(harness, "publishing_stopped", CENTOS, 8))!;
      console.log(`${CENTOS} RHEL 8 at ${harness.clock.now().toISOString()} (${Date.now() - startedMs} ms): ${alert.summary}`);
      expect(firstSummary).toMatch(/^git\.centos\.org stopped publishing RHEL 8: nothing since 2023-06-05, /);
      expect(alert.summary).toMatch(/^git\.centos\.org stopped publishing RHEL 8: nothing since 2023-06-05, \d+ updates overdue$/);
      expect(await harness.database.db.alert.count({ where: { mirrorId: CENTOS, kind: "publishing_stopped", major: 8 } })).toBe(1);

      // The page, for the instant the alert was last evaluated: the same stop and the same normal lag.
      const { stop } = decodeAlertDetails(alert.details, { table: "Alert", id: alert.id });
      const history = await getMirrorHistory(CENTOS, MirrorHistoryQuery.parse({}), { now: harness.clock.now() });
      const page = history.publishing.majors.find((entry) => entry.major === 8)!;
      expect(page.stop.stoppedAt).toBe(stop!.lastPublishedAt);
      expect(page.stop.stoppedAt!.slice(0, 10)).toBe("2023-06-05");
      expect(page.stop).toMatchObject({ releasedSinceCount: stop!.releasedSinceCount, overdueSinceCount: stop!.overdueSinceCount });
      expect(history.publishing.normalLag).toEqual({
        hours: stop!.normalLagHours,
        source: stop!.normalLagSource,
        percentile: stop!.percentile,
        historySize: stop!.historySize,
      });
      expect(page.partialStop).toBeNull();
    },
    2 * SLOW_TEST_MS,
  );
});

describe(`alerts on the june-2023 replay: mirrors that keep publishing (${testDatabaseProvider()})`, () => {
  const HEALTHY = ["almalinux-errata", "rocky-errata", "oracle-srpms"];
  let harness: WorkerHarness;

  beforeAll(async () => {
    harness = await startWorkerHarness({ start: "2023-06-10T00:00:00Z", startDate: "2023-04-01", cutoff: null, extraMirrors: HEALTHY });
    await runPollCycle(harness.deps);
  }, SLOW_TEST_MS);
  afterAll(async () => {
    await harness?.close();
  });

  it(
    "never says a healthy mirror stopped publishing or went stale, however long its tail",
    async () => {
      const startedMs = Date.now();
      while (harness.clock.now() < new Date("2023-06-24T00:00:00Z")) {
        harness.clock.advance(4 * HOUR_MS);
        await runPollCycle(harness.deps);
      }
      const alerts = await harness.database.db.alert.findMany({
        where: { mirrorId: { in: [...HEALTHY, CENTOS] } },
        select: { kind: true, mirrorId: true, major: true, summary: true, status: true },
      });
      console.log(
        `healthy mirrors, 2023-06-10 → 06-24 every 4 h (${Date.now() - startedMs} ms):\n${alerts.map((alert) => `  ${alert.status} ${alert.kind} ${alert.mirrorId} ${alert.major}: ${alert.summary}`).join("\n")}`,
      );
      expect(
        alerts.filter((alert) => alert.kind === "publishing_stopped" || alert.kind === "partial_stop" || alert.kind === "mirror_stale"),
      ).toEqual([]);
      // git.centos.org without a cut-off imports within six days: nothing of it is ever missing.
      expect(alerts.filter((alert) => alert.mirrorId === CENTOS && alert.kind === "update_missing")).toEqual([]);
      // The long tails of AlmaLinux and Rocky do cross their thresholds: such per-update alerts must be true —
      // every update they name is unpublished on that mirror and past the mirror's configured threshold.
      const evidence = await harness.database.db.alert.findMany({
        where: { mirrorId: { in: HEALTHY }, kind: { in: ["update_missing", "update_delayed"] } },
        include: { events: true },
      });
      for (const alert of evidence) {
        const mirror = harness.config.mirrors.find((candidate) => candidate.id === alert.mirrorId)!;
        const thresholdHours = alert.kind === "update_missing" ? mirror.missingAfterHours : mirror.expectedLagHours;
        for (const event of alert.events) {
          const details = decodeAlertDetails(event.details, { table: "AlertEvent", id: event.id });
          for (const item of details.items) {
            expect(
              item.ageHours,
              `${alert.mirrorId} ${item.advisoryId} in ${alert.kind} at ${event.at.toISOString()}`,
            ).toBeGreaterThanOrEqual(thresholdHours);
            const status = alert.kind === "update_missing" ? "missing" : "delayed";
            expect(item.packages.some((pkg) => pkg.status === status)).toBe(true);
          }
        }
      }
    },
    SLOW_TEST_MS,
  );
});

describe(`alerts on the june-2023 replay: git.centos.org unreachable (${testDatabaseProvider()})`, () => {
  let harness: WorkerHarness;

  beforeAll(async () => {
    harness = await startWorkerHarness({ start: "2023-06-12T00:00:00Z", startDate: "2023-04-01", cutoff: null });
    await runPollCycle(harness.deps);
  }, SLOW_TEST_MS);
  afterAll(async () => {
    await harness?.close();
  });

  it(
    "raises mirror_stale, and no missing or stopped alert, while our polls of the mirror fail for nine days",
    async () => {
      const db = harness.database.db;
      harness.simulator.setFault("git", { mode: "down" });
      let staleAt: Date | null = null;
      try {
        const outageEnd = new Date("2023-06-21T00:00:00Z");
        while (harness.clock.now() < outageEnd) {
          harness.clock.advance(staleAt ? 6 * HOUR_MS : POLL_INTERVAL_MS);
          await runPollCycle(harness.deps);
          if (!staleAt && (await findFiring(harness, "mirror_stale", CENTOS, null))) staleAt = harness.clock.now();
        }
        // Updates released during the outage are more than 168 h old now: only our blindness hides them.
        const unknown = await db.verdict.count({
          where: { mirrorId: CENTOS, status: "unknown", package: { advisory: { issuedAt: { lt: new Date("2023-06-14T00:00:00Z") } } } },
        });
        expect(unknown).toBeGreaterThan(0);
      } finally {
        harness.simulator.setFault("git", null);
      }
      expect(staleAt).not.toBeNull();
      const stale = (await findFiring(harness, "mirror_stale", CENTOS, null))!;
      const { stale: staleDetails } = decodeAlertDetails(stale.details, { table: "Alert", id: stale.id });
      expect(staleDetails).toMatchObject({ staleAfterMinutes: 360, lastErrorKind: "network" });
      // A poll with nothing open to look up succeeds without a request; from the last success, the first poll after 360 minutes.
      const sinceSuccessMs = staleAt!.getTime() - Date.parse(staleDetails!.lastSuccessAt!);
      expect(sinceSuccessMs).toBeGreaterThan(360 * 60_000);
      expect(sinceSuccessMs).toBeLessThanOrEqual(360 * 60_000 + POLL_INTERVAL_MS);
      expect(await db.alert.count({ where: { mirrorId: CENTOS, kind: { in: ["update_missing", "publishing_stopped"] } } })).toBe(0);

      harness.clock.advance(POLL_INTERVAL_MS);
      await runPollCycle(harness.deps);
      expect(await db.alert.findUniqueOrThrow({ where: { id: stale.id } })).toMatchObject({ status: "resolved", firingKey: null });
      expect(await db.alert.count({ where: { mirrorId: CENTOS, kind: { in: ["update_missing", "publishing_stopped"] } } })).toBe(0);
    },
    SLOW_TEST_MS,
  );
});

describe(`alerts on the june-2023 replay: the first sync, before the mirror was asked (${testDatabaseProvider()})`, () => {
  let harness: WorkerHarness;

  beforeAll(async () => {
    harness = await startWorkerHarness({ start: "2023-06-10T00:00:00Z", startDate: "2023-04-01" });
  }, SLOW_TEST_MS);
  afterAll(async () => {
    await harness?.close();
  });

  it(
    "raises no missing alert for two months of advisories the mirror has not been asked about yet",
    async () => {
      const { deps } = harness;
      const centos = harness.config.mirrors.find((mirror) => mirror.id === CENTOS)!;
      const evaluate = async () => {
        await evaluateMirrorVerdicts(deps.db, { mirror: centos, now: deps.now() });
        await evaluateAlerts(deps.db, { mirror: centos, config: deps.config, now: deps.now() });
      };
      // What the scheduler does at a first start: the mirror is polled (nothing to look up yet), the upstream's
      // first sync brings April–June, every verdict is evaluated — old advisories are "not checked yet", never
      // "missing" — and only the mirror's next poll looks for them.
      await pollMirror(deps, centos);
      harness.clock.advance(60_000);
      await pollUpstream(deps, harness.config.upstreams[0]);
      await evaluate();
      expect(await deps.db.verdict.count({ where: { mirrorId: CENTOS, status: { in: ["missing", "delayed"] } } })).toBe(0);
      expect(await deps.db.verdict.count({ where: { mirrorId: CENTOS, status: "unknown", statusReason: "not_checked" } })).toBeGreaterThan(
        50,
      );
      expect(await deps.db.alert.findMany({ where: { mirrorId: CENTOS } })).toEqual([]);

      harness.clock.advance(60_000);
      await pollMirror(deps, centos);
      await evaluate();
      // Asked: git.centos.org had imported all of them before the June 14 cut-off.
      expect(await deps.db.verdict.count({ where: { mirrorId: CENTOS, status: "missing" } })).toBe(0);
      expect(await deps.db.alert.findMany({ where: { mirrorId: CENTOS, kind: { in: ["update_missing", "publishing_stopped"] } } })).toEqual(
        [],
      );
    },
    SLOW_TEST_MS,
  );
});
