import { runWriteTransaction } from "../db/run-write-transaction";
import type { AlertDetails, AlertEventType, AlertKind } from "../../core/alerts/types";
import type { SrcwatchConfig } from "../../core/config";
import type { Db, DbTransaction } from "../db/client";
import { enqueueAlertNotifications } from "../notifications/enqueue-alert-notifications";
import { findTokenSubscription } from "./find-token-subscription";
import { toSubscriptionView, type ConfirmSubscriptionResponse } from "./subscription-dto";
import { InvalidSubscriptionTokenError } from "./subscription-errors";
import { signSubscriptionToken } from "./subscription-tokens";
import { endSubscription } from "./unsubscribe";

/**
 * The confirmation link's POST: pending → active. An address keeps one active subscription, so an older one
 * ends here. The new subscriber is told at once about what is already firing (and was told to everyone else).
 * A second click answers the same and queues nothing more.
 */
export async function confirmSubscription(
  db: Db,
  input: { token: string; config: SrcwatchConfig; now: Date },
): Promise<ConfirmSubscriptionResponse> {
  const { now } = input;
  return runWriteTransaction(db, async (tx) => {
    const found = await findTokenSubscription(tx, { token: input.token, purposes: ["confirm"], now });
    if (!found || !found.isCurrent || found.subscription.status === "unsubscribed") throw new InvalidSubscriptionTokenError();
    let queuedAlerts = 0;
    const activated = await tx.subscription.updateMany({ where: { id: found.subscription.id, status: "pending" }, data: { status: "active", confirmedAt: now } });
    if (activated.count > 0) {
      const older = await tx.subscription.findMany({ where: { email: found.subscription.email, status: "active", id: { not: found.subscription.id } }, select: { id: true } });
      for (const subscription of older) await endSubscription(tx, subscription.id, now);
      queuedAlerts = await queueFiringAlerts(tx, found.subscription.id, input.config, now);
    }
    const subscription = await tx.subscription.findUniqueOrThrow({ where: { id: found.subscription.id } });
    const manageToken = signSubscriptionToken(found.secret, { subscriptionId: subscription.id, purpose: "manage", version: subscription.tokenVersion, issuedAt: now.getTime() });
    return { subscription: toSubscriptionView(subscription), manageToken, queuedAlerts };
  });
}

/**
 * Every firing alert that subscribers have been notified about and that is not folded into another, with its
 * latest notified event, for this subscriber only (its scope decides). An alert that is silenced or inhibited
 * has told nobody, so it tells the newcomer nothing either.
 */
async function queueFiringAlerts(tx: DbTransaction, subscriptionId: number, config: SrcwatchConfig, now: Date): Promise<number> {
  const alerts = await tx.alert.findMany({ where: { status: "firing", inhibitedById: null, notifiedAt: { not: null } }, orderBy: { id: "asc" } });
  let queued = 0;
  for (const alert of alerts) {
    const event = await tx.alertEvent.findFirst({
      where: { alertId: alert.id, notified: true, type: { not: "resolved" } },
      orderBy: [{ at: "desc" }, { id: "desc" }],
    });
    if (!event) continue;
    queued += await enqueueAlertNotifications(tx, {
      alert: { id: alert.id, kind: alert.kind as AlertKind, mirrorId: alert.mirrorId, major: alert.major },
      event: { id: event.id, type: event.type as AlertEventType, details: JSON.parse(event.details) as AlertDetails },
      config,
      now,
      subscriptionIds: [subscriptionId],
      catchUp: true,
    });
  }
  return queued;
}
