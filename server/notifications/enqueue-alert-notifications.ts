import { SubscriptionScope, matchScope } from "../../core/alerts/subscription-scope";
import type { AlertDetails, AlertEventType, AlertKind } from "../../core/alerts/types";
import type { SrcwatchConfig } from "../../core/config";
import type { DbTransaction } from "../db/client";
import { insertRows } from "../db/insert-rows";

const OUTBOX_COLUMNS = [
  "dedupeKey",
  "channel",
  "kind",
  "recipient",
  "subscriptionId",
  "alertId",
  "alertEventId",
  "payload",
  "status",
  "attempts",
  "nextAttemptAt",
  "createdAt",
] as const;

/** What the outbox row's payload carries for an alert notification. */
export interface AlertNotificationPayload {
  /** Advisory ids of the event's updates this recipient's scope keeps ([] for mirror-wide alerts: all of it). */
  matchedAdvisoryIds: string[];
  /** A new subscriber catching up on an alert that fired before: told as a fire, whatever the event was. */
  catchUp?: boolean;
}

export function alertOutboxKey(eventId: number, channel: "subscription" | "webhook", recipientId: number | string): string {
  return `alert-event/${eventId}/${channel}/${recipientId}`;
}

/**
 * Queue the notifications of one alert event, inside the caller's transaction (the one that wrote the event):
 * one outbox row per (event, subscriber) and per (event, webhook), so a crash can neither lose nor double them.
 * A resolve goes to whoever was notified about the alert before; other events to every active scope that matches.
 * Daily-digest subscribers get a `held` row that the digest later bundles. Returns how many rows were queued.
 */
export async function enqueueAlertNotifications(
  tx: DbTransaction,
  input: {
    alert: { id: number; kind: AlertKind; mirrorId: string; major: number | null };
    event: { id: number; type: AlertEventType; details: AlertDetails };
    config: SrcwatchConfig;
    now: Date;
    /** Only these subscriptions (a new subscriber catching up on what is firing). */
    subscriptionIds?: number[];
    /** Mark the rows as a catch-up (see AlertNotificationPayload.catchUp). */
    catchUp?: boolean;
  },
): Promise<number> {
  const { alert, event, config, now } = input;
  const subject = { kind: alert.kind, mirrorId: alert.mirrorId, major: alert.major, details: event.details };
  const rows: (string | number | Date | null)[][] = [];
  const row = (channel: "email" | "webhook", recipient: string, subscriptionId: number | null, matched: string[], status: "pending" | "held") => [
    alertOutboxKey(event.id, channel === "email" ? "subscription" : "webhook", subscriptionId ?? recipient),
    channel,
    "alert",
    recipient,
    subscriptionId,
    alert.id,
    event.id,
    JSON.stringify({ matchedAdvisoryIds: matched, ...(input.catchUp ? { catchUp: true } : {}) } satisfies AlertNotificationPayload),
    status,
    0,
    now,
    now,
  ];

  if (event.type === "resolved") {
    const notified = await tx.outboxMessage.findMany({
      where: { alertId: alert.id, kind: "alert", status: { notIn: ["cancelled", "failed"] } },
      select: { channel: true, recipient: true, subscriptionId: true },
      distinct: ["channel", "recipient", "subscriptionId"],
    });
    const subscriptionIds = notified.flatMap((message) => (message.channel === "email" && message.subscriptionId !== null ? [message.subscriptionId] : []));
    const subscriptions = await tx.subscription.findMany({ where: { id: { in: subscriptionIds }, status: "active" } });
    for (const subscription of subscriptions) {
      if (input.subscriptionIds && !input.subscriptionIds.includes(subscription.id)) continue;
      rows.push(row("email", subscription.email, subscription.id, [], subscription.delivery === "daily" ? "held" : "pending"));
    }
    const webhookIds = new Set(config.notifications.webhooks.map((webhook) => webhook.id));
    for (const message of notified) {
      if (message.channel === "webhook" && webhookIds.has(message.recipient) && !input.subscriptionIds) rows.push(row("webhook", message.recipient, null, [], "pending"));
    }
  } else {
    const subscriptions = await tx.subscription.findMany({
      where: { status: "active", ...(input.subscriptionIds ? { id: { in: input.subscriptionIds } } : {}) },
    });
    for (const subscription of subscriptions) {
      const scope = SubscriptionScope.safeParse(JSON.parse(subscription.scope));
      if (!scope.success) continue;
      const matched = matchScope(scope.data, subject);
      if (matched) rows.push(row("email", subscription.email, subscription.id, matched, subscription.delivery === "daily" ? "held" : "pending"));
    }
    if (!input.subscriptionIds) {
      for (const webhook of config.notifications.webhooks) {
        const matched = matchScope(webhook.scope, subject);
        if (matched) rows.push(row("webhook", webhook.id, null, matched, "pending"));
      }
    }
  }
  return insertRows(tx, "OutboxMessage", OUTBOX_COLUMNS, rows, { onConflictDoNothing: "dedupeKey" });
}
