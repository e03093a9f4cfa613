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

/** An alert event that notifies, as the outbox needs it. */
export interface NotifyingAlertEvent {
  alert: { id: number; kind: AlertKind; mirrorId: string; major: number | null };
  event: { id: number; type: AlertEventType; details: AlertDetails };
}

/** One outbox row to write for an alert event. */
export interface PlannedAlertNotification {
  channel: "email" | "webhook";
  recipient: string;
  subscriptionId: number | null;
  alertId: number;
  alertEventId: number;
  payload: AlertNotificationPayload;
  status: "pending" | "held";
}

type SubscriptionRecipient = { id: number; email: string; scope: string; delivery: string };

/**
 * The row a subscription gets for a notifying event, or null when its scope leaves the event out. Pure: the pattern
 * matching it runs is linear (core/alerts/match-glob.ts), so it may run inside a transaction or before one.
 */
export function planSubscriptionNotification(
  subscription: SubscriptionRecipient,
  notifying: NotifyingAlertEvent,
  options: { catchUp?: boolean } = {},
): PlannedAlertNotification | null {
  const scope = SubscriptionScope.safeParse(JSON.parse(subscription.scope));
  if (!scope.success) return null;
  const { alert, event } = notifying;
  const matched = matchScope(scope.data, { kind: alert.kind, mirrorId: alert.mirrorId, major: alert.major, details: event.details });
  if (!matched) return null;
  return {
    channel: "email",
    recipient: subscription.email,
    subscriptionId: subscription.id,
    alertId: alert.id,
    alertEventId: event.id,
    payload: { matchedAdvisoryIds: matched, ...(options.catchUp ? { catchUp: true } : {}) },
    status: subscription.delivery === "daily" ? "held" : "pending",
  };
}

/** Writes planned rows; a row already queued for the same (event, recipient) is skipped. Returns how many were written. */
export function insertAlertNotifications(tx: DbTransaction, planned: readonly PlannedAlertNotification[], now: Date): Promise<number> {
  const rows = planned.map((row) => [
    alertOutboxKey(row.alertEventId, row.channel === "email" ? "subscription" : "webhook", row.subscriptionId ?? row.recipient),
    row.channel,
    "alert",
    row.recipient,
    row.subscriptionId,
    row.alertId,
    row.alertEventId,
    JSON.stringify(row.payload),
    row.status,
    0,
    now,
    now,
  ]);
  return insertRows(tx, "OutboxMessage", OUTBOX_COLUMNS, rows, { onConflictDoNothing: "dedupeKey" });
}

/**
 * Queue the notifications of one alert event, inside the caller's transaction (the one that wrote the event):
 * one outbox row per (event, subscriber) and per (event, webhook), so a crash can neither lose nor double them.
 * A resolve goes to whoever was notified about the alert before; other events to every active scope that matches.
 * Daily-digest subscribers get a `held` row that the digest later bundles. Returns how many rows were queued.
 * Matching inside the transaction is bounded: ≤ 20 patterns × 101 × (name length + 1) steps per package name and scope.
 */
export async function enqueueAlertNotifications(
  tx: DbTransaction,
  input: NotifyingAlertEvent & { config: SrcwatchConfig; now: Date },
): Promise<number> {
  const { alert, event, config, now } = input;
  const planned: PlannedAlertNotification[] = [];
  const toWebhook = (webhookId: string, matched: string[]): PlannedAlertNotification => ({
    channel: "webhook",
    recipient: webhookId,
    subscriptionId: null,
    alertId: alert.id,
    alertEventId: event.id,
    payload: { matchedAdvisoryIds: matched },
    status: "pending",
  });

  if (event.type === "resolved") {
    const notified = await tx.outboxMessage.findMany({
      where: { alertId: alert.id, kind: "alert", status: { notIn: ["cancelled", "failed"] } },
      select: { channel: true, recipient: true, subscriptionId: true },
      distinct: ["channel", "recipient", "subscriptionId"],
    });
    const subscriptionIds = notified.flatMap((message) => (message.channel === "email" && message.subscriptionId !== null ? [message.subscriptionId] : []));
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
      if (message.channel === "webhook" && webhookIds.has(message.recipient)) planned.push(toWebhook(message.recipient, []));
    }
  } else {
    const subscriptions = await tx.subscription.findMany({ where: { status: "active" } });
    for (const subscription of subscriptions) {
      const row = planSubscriptionNotification(subscription, input);
      if (row) planned.push(row);
    }
    const subject = { kind: alert.kind, mirrorId: alert.mirrorId, major: alert.major, details: event.details };
    for (const webhook of config.notifications.webhooks) {
      const matched = matchScope(webhook.scope, subject);
      if (matched) planned.push(toWebhook(webhook.id, matched));
    }
  }
  return insertAlertNotifications(tx, planned, now);
}
