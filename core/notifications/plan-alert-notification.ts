import { matchScope } from "../alerts/subscription-scope";
import type { AlertDetails, AlertEventType, AlertKind } from "../alerts/types";
import type { SubscriptionScope } from "../subscription-scope";
import type { AlertNotificationPayload } from "./outbox-payload-codec";

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

export interface ScopedSubscription {
  id: number;
  email: string;
  scope: SubscriptionScope;
  delivery: string;
}

/**
 * The row a subscription gets for a notifying event, or null when its scope leaves the event out. Pure, and the pattern
 * matching it runs is linear (core/alerts/match-glob.ts), so it may run inside a transaction or before one: the alert
 * engine plans inside the event's transaction, confirming a subscription plans its catch-up before its own.
 */
export function planSubscriptionNotification(
  subscription: ScopedSubscription,
  notifying: NotifyingAlertEvent,
  options: { catchUp?: boolean } = {},
): PlannedAlertNotification | null {
  const { alert, event } = notifying;
  const matched = matchScope(subscription.scope, {
    kind: alert.kind,
    mirrorId: alert.mirrorId,
    major: alert.major,
    details: event.details,
  });
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

/** The row a configured webhook gets for a notifying event, or null when its scope leaves the event out. */
export function planWebhookNotification(
  webhook: { id: string; scope: SubscriptionScope },
  notifying: NotifyingAlertEvent,
): PlannedAlertNotification | null {
  const { alert, event } = notifying;
  const matched = matchScope(webhook.scope, { kind: alert.kind, mirrorId: alert.mirrorId, major: alert.major, details: event.details });
  return matched ? toWebhookNotification(webhook.id, notifying, matched) : null;
}

/** A webhook's row; a resolve goes to every webhook told before, with the whole alert ([]). */
export function toWebhookNotification(
  webhookId: string,
  notifying: NotifyingAlertEvent,
  matchedAdvisoryIds: string[],
): PlannedAlertNotification {
  return {
    channel: "webhook",
    recipient: webhookId,
    subscriptionId: null,
    alertId: notifying.alert.id,
    alertEventId: notifying.event.id,
    payload: { matchedAdvisoryIds },
    status: "pending",
  };
}
