import { randomUUID } from "node:crypto";
import os from "node:os";
import { decodeAlertDetails } from "../core/alerts/alert-details-codec";
import type { AlertEventType, AlertKind } from "../core/alerts/types";
import { decodeAlertNotificationPayload, decodeConfirmationPayload, decodeDigestPayload } from "../core/notifications/outbox-payload-codec";
import { StoredJsonError } from "../core/stored-json";
import { decodeSubscriptionScope } from "../core/subscription-scope";
import { claimOutboxMessages, type ClaimedOutboxMessage } from "../server/outbox/claim-outbox-messages";
import {
  EMAIL_NOT_CONFIGURED,
  markEmailNotConfigured,
  settleOutboxMessage,
  type DeliveryResult,
} from "../server/outbox/settle-outbox-message";
import { buildOutboxMessageId } from "../server/notifications/build-outbox-message-id";
import type { AlertNotification } from "../server/notifications/render-alert-email";
import { renderAlertEmail } from "../server/notifications/render-alert-email";
import { renderConfirmationEmail } from "../server/notifications/render-confirmation-email";
import { renderDigestEmail } from "../server/notifications/render-digest-email";
import type { RenderedEmail } from "../server/notifications/rendered-email";
import { renderWebhookPayload } from "../server/notifications/render-webhook-payload";
import { sendWebhook } from "../server/notifications/send-webhook";
import { buildSubscriptionLinks, getSigningSecret } from "../server/subscriptions/subscription-tokens";
import type { WorkerDeps } from "./worker-deps";

export interface DeliveryCounts {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  cancelled: number;
}

/** One plain address: no list, no display name, no whitespace that could smuggle in a second recipient or header. */
const SINGLE_ADDRESS = /^[^\s@,;:<>()"\\]+@[^\s@,;:<>()"\\]+$/;

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message.slice(0, 500);
  return String(error).slice(0, 500);
}

/** SMTP 5xx (mailbox unknown, message refused) will not change by retrying; connection trouble and 4xx will. */
function isPermanentSmtpError(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === "number" && code >= 500 && code < 600;
}

function toNotification(
  alert: { id: number; kind: string; mirrorId: string; major: number | null; summary: string; startsAt: Date; resolvedAt: Date | null },
  event: { id: number; type: string; at: Date; details: string },
  message: { id: number; payload: string },
): AlertNotification {
  const payload = decodeAlertNotificationPayload(message.payload, message.id);
  // A new subscriber hears of an alert that was already firing as a fire, not as "reminder" or "more updates".
  const type = payload.catchUp === true && event.type !== "resolved" ? "fired" : (event.type as AlertEventType);
  return {
    alert: { ...alert, kind: alert.kind as AlertKind },
    event: { id: event.id, type, at: event.at, details: decodeAlertDetails(event.details, { table: "AlertEvent", id: event.id }) },
    matchedAdvisoryIds: payload.matchedAdvisoryIds,
  };
}

/**
 * Send what the outbox holds and is due: claim rows, render each from the rows it points at, send it, record the
 * outcome. A row whose subscription is no longer active is cancelled, never sent (confirmations: no longer pending).
 */
export async function deliverOutbox(deps: WorkerDeps, options: { limit?: number; workerId?: string } = {}): Promise<DeliveryCounts> {
  const { db, config, mailer, logger } = deps;
  const { notifications } = config;
  const workerId = options.workerId ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const counts: DeliveryCounts = { claimed: 0, sent: 0, retried: 0, failed: 0, cancelled: 0 };
  const startedAt = deps.now();

  if (!mailer) await markEmailNotConfigured(db, startedAt);
  const claimed = await claimOutboxMessages(db, {
    now: startedAt,
    workerId,
    limit: options.limit ?? 50,
    claimSeconds: notifications.delivery.claimSeconds,
    channels: mailer ? undefined : ["webhook"],
  });
  counts.claimed = claimed.length;
  if (claimed.length === 0) return counts;

  let secret: string | undefined;
  const signingSecret = async () => (secret ??= await getSigningSecret(db));

  async function sendEmail(message: ClaimedOutboxMessage, rendered: RenderedEmail): Promise<DeliveryResult> {
    if (!mailer) return { outcome: "retry", error: EMAIL_NOT_CONFIGURED };
    if (!SINGLE_ADDRESS.test(message.recipient) || message.recipient.length > 254)
      return { outcome: "failed", error: "the recipient is not a single plain address" };
    try {
      const info = await mailer.send({ to: message.recipient, messageId: buildOutboxMessageId(message), ...rendered });
      return { outcome: "sent", providerId: info.messageId };
    } catch (error) {
      return isPermanentSmtpError(error)
        ? { outcome: "failed", error: describeError(error) }
        : { outcome: "retry", error: describeError(error) };
    }
  }

  async function loadActiveSubscription(message: ClaimedOutboxMessage) {
    if (message.subscriptionId === null) return null;
    const subscription = await db.subscription.findUnique({ where: { id: message.subscriptionId } });
    return subscription && subscription.status === "active" && subscription.email === message.recipient ? subscription : null;
  }

  async function deliverAlert(message: ClaimedOutboxMessage): Promise<DeliveryResult> {
    if (message.alertId === null || message.alertEventId === null) return { outcome: "failed", error: "alert row without alert or event" };
    const [alert, event] = await Promise.all([
      db.alert.findUnique({ where: { id: message.alertId } }),
      db.alertEvent.findUnique({ where: { id: message.alertEventId } }),
    ]);
    if (!alert || !event) return { outcome: "cancelled", reason: "the alert or its event no longer exists" };
    const notification = toNotification(alert, event, message);

    if (message.channel === "webhook") {
      const webhook = notifications.webhooks.find((candidate) => candidate.id === message.recipient);
      if (!webhook) return { outcome: "cancelled", reason: `webhook ${message.recipient} is no longer configured` };
      const result = await sendWebhook({
        webhook,
        body: JSON.stringify(renderWebhookPayload(webhook.format, notification, notifications.publicUrl)),
        event: notification.event.type,
        deliveryId: String(message.id),
        now: deps.now(),
        userAgent: config.userAgent,
      });
      if (result.outcome === "delivered") return { outcome: "sent", providerId: `HTTP ${result.status}` };
      return result;
    }

    const subscription = await loadActiveSubscription(message);
    if (!subscription) return { outcome: "cancelled", reason: "the subscription is not active" };
    const links = buildSubscriptionLinks(notifications.publicUrl, await signingSecret(), subscription, deps.now());
    return sendEmail(message, renderAlertEmail({ notification, publicUrl: notifications.publicUrl, links }));
  }

  async function deliverConfirmation(message: ClaimedOutboxMessage): Promise<DeliveryResult> {
    const payload = decodeConfirmationPayload(message.payload, message.id);
    const subscriptionId = payload.subscriptionId ?? message.subscriptionId;
    const subscription = typeof subscriptionId === "number" ? await db.subscription.findUnique({ where: { id: subscriptionId } }) : null;
    if (!subscription || subscription.status !== "pending" || subscription.email !== message.recipient) {
      return { outcome: "cancelled", reason: "the subscription is no longer waiting for confirmation" };
    }
    const scope = decodeSubscriptionScope(subscription.scope, subscription.id);
    const { confirmUrl } = buildSubscriptionLinks(notifications.publicUrl, await signingSecret(), subscription, deps.now());
    return sendEmail(
      message,
      renderConfirmationEmail({ confirmUrl, scope, delivery: subscription.delivery, reminders: subscription.reminders }),
    );
  }

  async function deliverDigest(message: ClaimedOutboxMessage): Promise<DeliveryResult> {
    const payload = decodeDigestPayload(message.payload, message.id);
    const subscription = await loadActiveSubscription(message);
    if (!subscription) return { outcome: "cancelled", reason: "the subscription is not active" };
    const held = await db.outboxMessage.findMany({ where: { id: { in: payload.outboxIds } }, orderBy: { id: "asc" } });
    const alertIds = [...new Set(held.flatMap((row) => (row.alertId === null ? [] : [row.alertId])))];
    const eventIds = held.flatMap((row) => (row.alertEventId === null ? [] : [row.alertEventId]));
    const [alerts, events] = await Promise.all([
      db.alert.findMany({ where: { id: { in: alertIds } } }),
      db.alertEvent.findMany({ where: { id: { in: eventIds } } }),
    ]);
    const alertById = new Map(alerts.map((alert) => [alert.id, alert]));
    const eventById = new Map(events.map((event) => [event.id, event]));
    const bundled = held.flatMap((row) => {
      const alert = row.alertId === null ? undefined : alertById.get(row.alertId);
      const event = row.alertEventId === null ? undefined : eventById.get(row.alertEventId);
      return alert && event ? [toNotification(alert, event, row)] : [];
    });
    if (bundled.length === 0) return { outcome: "cancelled", reason: "nothing left to send in the digest" };
    bundled.sort((a, b) => a.event.at.getTime() - b.event.at.getTime());
    const links = buildSubscriptionLinks(notifications.publicUrl, await signingSecret(), subscription, deps.now());
    return sendEmail(message, renderDigestEmail({ date: payload.date, notifications: bundled, publicUrl: notifications.publicUrl, links }));
  }

  async function deliver(message: ClaimedOutboxMessage): Promise<DeliveryResult> {
    try {
      if (message.kind === "alert") return await deliverAlert(message);
      if (message.kind === "confirmation") return await deliverConfirmation(message);
      if (message.kind === "digest") return await deliverDigest(message);
      return { outcome: "failed", error: `unknown outbox kind ${message.kind}` };
    } catch (error) {
      // A stored row that does not decode will not decode any better on the next attempt.
      if (error instanceof StoredJsonError) return { outcome: "failed", error: describeError(error) };
      return { outcome: "retry", error: describeError(error) };
    }
  }

  for (const message of claimed) {
    const result = await deliver(message);
    const settled = await settleOutboxMessage(db, message, result, { now: deps.now(), workerId, delivery: notifications.delivery });
    if (settled.status === "lost") {
      logger.warn({ outboxId: message.id, workerId }, "the claim expired before the delivery was recorded; another worker has the row");
      continue;
    }
    counts[settled.status] += 1;
    if (settled.status === "failed")
      logger.warn(
        { outboxId: message.id, kind: message.kind, channel: message.channel, error: "error" in result ? result.error : undefined },
        "notification failed for good",
      );
    if (settled.status === "retried")
      logger.info(
        {
          outboxId: message.id,
          attempts: message.attempts,
          delaySeconds: settled.delaySeconds,
          error: "error" in result ? result.error : undefined,
        },
        "notification will be retried",
      );
  }
  logger.debug({ workerId, ...counts }, "outbox delivered");
  return counts;
}
