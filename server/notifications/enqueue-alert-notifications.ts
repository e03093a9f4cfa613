import "server-only";

import type { SrcwatchConfig } from "../../core/config";
import {
  planSubscriptionNotification,
  planWebhookNotification,
  toWebhookNotification,
  type NotifyingAlertEvent,
  type PlannedAlertNotification,
} from "../../core/notifications/plan-alert-notification";
import { safeDecodeSubscriptionScope } from "../../core/subscription-scope";
import type { DbTransaction } from "../db/client";
import { insertAlertNotifications } from "../outbox/insert-alert-notifications";
import { isReminderDue } from "../../core/notifications/reminders";

/** When each subscriber was last mailed about the alert (queued, held, sent or bundled; not cancelled or failed). */
async function readLastMailAbout(tx: DbTransaction, alertId: number): Promise<Map<number, Date>> {
  const rows = await tx.outboxMessage.groupBy({
    by: ["subscriptionId"],
    where: { alertId, channel: "email", kind: "alert", subscriptionId: { not: null }, status: { notIn: ["cancelled", "failed"] } },
    _max: { createdAt: true },
  });
  return new Map(
    rows.flatMap((row) => (row.subscriptionId !== null && row._max.createdAt ? [[row.subscriptionId, row._max.createdAt]] : [])),
  );
}

/**
 * Queue the notifications of one alert event, inside the caller's transaction (the one that wrote the event):
 * one outbox row per (event, subscriber) and per (event, webhook), so a crash can neither lose nor double them.
 * A resolve goes to whoever was notified about the alert before; other events to every active scope that matches.
 * Daily-digest subscribers get a `held` row that the digest later bundles. A reminder goes to a subscriber only when
 * their own last mail about the alert is as old as the reminders they chose (daily, weekly, never). Returns how many
 * rows were queued.
 * Matching inside the transaction is bounded: ≤ 20 patterns × 101 × (name length + 1) steps per package name and scope.
 */
export async function enqueueAlertNotifications(
  tx: DbTransaction,
  input: NotifyingAlertEvent & { config: SrcwatchConfig; now: Date },
): Promise<number> {
  const { alert, event, config, now } = input;
  const planned: PlannedAlertNotification[] = [];

  if (event.type === "resolved") {
    const notified = await tx.outboxMessage.findMany({
      where: { alertId: alert.id, kind: "alert", status: { notIn: ["cancelled", "failed"] } },
      select: { channel: true, recipient: true, subscriptionId: true },
      distinct: ["channel", "recipient", "subscriptionId"],
    });
    const subscriptionIds = notified.flatMap((message) =>
      message.channel === "email" && message.subscriptionId !== null ? [message.subscriptionId] : [],
    );
    const subscriptions = await tx.subscription.findMany({ where: { id: { in: subscriptionIds }, status: "active" } });
    for (const subscription of subscriptions) {
      planned.push({
        channel: "email",
        recipient: subscription.email,
        subscriptionId: subscription.id,
        alertId: alert.id,
        alertEventId: event.id,
        payload: { matchedAdvisoryIds: [] },
        status: subscription.delivery === "daily" ? "held" : "pending",
      });
    }
    const webhookIds = new Set(config.notifications.webhooks.map((webhook) => webhook.id));
    for (const message of notified) {
      if (message.channel === "webhook" && webhookIds.has(message.recipient))
        planned.push(toWebhookNotification(message.recipient, input, []));
    }
  } else {
    const subscriptions = await tx.subscription.findMany({ where: { status: "active" } });
    const lastNotifiedAt = event.type === "reminder" ? await readLastMailAbout(tx, alert.id) : null;
    for (const subscription of subscriptions) {
      // Reminders follow each recipient's choice, counted from their own last mail about this alert.
      if (lastNotifiedAt && !isReminderDue(subscription.reminders, lastNotifiedAt.get(subscription.id) ?? null, now)) continue;
      // One subscription whose stored scope no longer parses must not fail the evaluation of the mirror for everyone: it hears nothing.
      const scope = safeDecodeSubscriptionScope(subscription.scope);
      const row = scope && planSubscriptionNotification({ ...subscription, scope }, input);
      if (row) planned.push(row);
    }
    for (const webhook of config.notifications.webhooks) {
      const row = planWebhookNotification(webhook, input);
      if (row) planned.push(row);
    }
  }
  return insertAlertNotifications(tx, planned, now);
}
