import "server-only";

import { decodeSubscriptionScope } from "../../core/subscription-scope";

import { runWriteTransaction } from "../db/run-write-transaction";
import { decodeAlertDetails } from "../../core/alerts/alert-details-codec";
import type { AlertEventType, AlertKind } from "../../core/alerts/types";
import { planSubscriptionNotification, type PlannedAlertNotification } from "../../core/notifications/plan-alert-notification";
import { safeDecodeSubscriptionScope } from "../../core/subscription-scope";
import type { Db, DbTransaction } from "../db/client";
import { insertAlertNotifications } from "../outbox/insert-alert-notifications";
import { findTokenSubscription } from "./find-token-subscription";
import { toSubscriptionView, type ConfirmSubscriptionResponse } from "../../contract/subscription-dto";
import { InvalidSubscriptionTokenError } from "./subscription-errors";
import { signSubscriptionToken } from "./subscription-tokens";
import { endSubscription } from "./unsubscribe";

// Past this many plans overtaken by new alert events, the last one is kept: an event missed then reaches the
// newcomer with the alert's next change or reminder.
const MAX_PLAN_ATTEMPTS = 3;

interface CatchUpPlan {
  /** The alerts and events the plan was made from ("alertId:eventId,…"): a new notified event or alert changes it. */
  version: string;
  /** The subscription as it was planned for: a different scope or delivery needs another plan. */
  scope: string;
  delivery: string;
  rows: PlannedAlertNotification[];
}

/**
 * The confirmation link's POST: pending → active. An address keeps one active subscription, so an older one
 * ends here. The new subscriber is told at once about what is already firing (and was told to everyone else).
 * A second click answers the same and queues nothing more.
 * The subscriber's patterns are matched before the write transaction, which only re-checks that nothing changed.
 */
export async function confirmSubscription(db: Db, input: { token: string; now: Date }): Promise<ConfirmSubscriptionResponse> {
  const { now } = input;
  for (let attempt = 1; ; attempt++) {
    const found = await findTokenSubscription(db, { token: input.token, purposes: ["confirm"], now });
    if (!found || !found.isCurrent || found.subscription.status === "unsubscribed") throw new InvalidSubscriptionTokenError();
    const plan = found.subscription.status === "pending" ? await planCatchUp(db, found.subscription) : null;
    const answer = await runWriteTransaction(db, async (tx) => {
      const subscription = await tx.subscription.findUnique({ where: { id: found.subscription.id } });
      if (!subscription || subscription.tokenVersion !== found.subscription.tokenVersion || subscription.status === "unsubscribed")
        throw new InvalidSubscriptionTokenError();
      let queuedAlerts = 0;
      if (subscription.status === "pending") {
        // The worker skipped this still-pending subscription for any alert event written since the plan was read: plan again.
        const isPlanCurrent =
          plan !== null &&
          plan.scope === subscription.scope &&
          plan.delivery === subscription.delivery &&
          plan.version === toCatchUpVersion(await listCatchUpEvents(tx));
        if (!isPlanCurrent && attempt < MAX_PLAN_ATTEMPTS) return null;
        const activated = await tx.subscription.updateMany({
          where: { id: subscription.id, status: "pending", tokenVersion: subscription.tokenVersion },
          data: { status: "active", confirmedAt: now },
        });
        if (activated.count > 0) {
          const older = await tx.subscription.findMany({
            where: { email: subscription.email, status: "active", id: { not: subscription.id } },
            select: { id: true },
          });
          for (const { id } of older) await endSubscription(tx, id, now);
          queuedAlerts = await insertAlertNotifications(tx, plan?.rows ?? [], now);
        }
      }
      const current = await tx.subscription.findUniqueOrThrow({ where: { id: subscription.id } });
      const manageToken = signSubscriptionToken(found.secret, {
        subscriptionId: current.id,
        purpose: "manage",
        version: current.tokenVersion,
        issuedAt: now.getTime(),
      });
      return {
        subscription: toSubscriptionView({ ...current, scope: decodeSubscriptionScope(current.scope, current.id) }),
        manageToken,
        queuedAlerts,
      } satisfies ConfirmSubscriptionResponse;
    });
    if (answer) return answer;
  }
}

/**
 * Every firing alert that subscribers have been notified about and that is not folded into another, with its
 * latest notified event: what a newcomer catches up on. As many reads as alerts are firing, never the whole timeline.
 */
async function listCatchUpEvents(db: Db | DbTransaction) {
  const alerts = await db.alert.findMany({
    where: { status: "firing", inhibitedById: null, notifiedAt: { not: null } },
    orderBy: { id: "asc" },
  });
  const found = [];
  for (const alert of alerts) {
    const event = await db.alertEvent.findFirst({
      where: { alertId: alert.id, notified: true, type: { not: "resolved" } },
      orderBy: [{ at: "desc" }, { id: "desc" }],
    });
    if (event) found.push({ alert, event });
  }
  return found;
}

function toCatchUpVersion(events: Array<{ alert: { id: number }; event: { id: number } }>): string {
  return events.map(({ alert, event }) => `${alert.id}:${event.id}`).join(",");
}

/**
 * The catch-up rows for this subscriber only (its scope decides), planned outside any transaction. An alert that is
 * silenced or inhibited has told nobody, so it tells the newcomer nothing either.
 */
async function planCatchUp(db: Db, subscription: { id: number; email: string; scope: string; delivery: string }): Promise<CatchUpPlan> {
  const events = await listCatchUpEvents(db);
  const version = toCatchUpVersion(events);
  // Written by subscribe through the codec; should it no longer parse, the newcomer catches up on nothing, as the
  // alert engine then tells it nothing (enqueue-alert-notifications.ts), rather than failing to confirm.
  const scope = safeDecodeSubscriptionScope(subscription.scope);
  const rows = events.flatMap(({ alert, event }) => {
    const row =
      scope &&
      planSubscriptionNotification(
        { ...subscription, scope },
        {
          alert: { id: alert.id, kind: alert.kind as AlertKind, mirrorId: alert.mirrorId, major: alert.major },
          event: {
            id: event.id,
            type: event.type as AlertEventType,
            details: decodeAlertDetails(event.details, { table: "AlertEvent", id: event.id }),
          },
        },
        { catchUp: true },
      );
    return row ? [row] : [];
  });
  return { version, scope: subscription.scope, delivery: subscription.delivery, rows };
}
