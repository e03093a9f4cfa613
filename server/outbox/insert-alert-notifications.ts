import "server-only";

import { encodeAlertNotificationPayload } from "../../core/notifications/outbox-payload-codec";
import type { PlannedAlertNotification } from "../../core/notifications/plan-alert-notification";
import type { DbTransaction } from "../db/client";
import { insertRows } from "../db/insert-rows";

/** The columns every queued outbox row is written with (alert rows and digests). */
export const OUTBOX_COLUMNS = [
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

export function alertOutboxKey(eventId: number, channel: "subscription" | "webhook", recipientId: number | string): string {
  return `alert-event/${eventId}/${channel}/${recipientId}`;
}

/**
 * Writes planned alert notifications (core/notifications/plan-alert-notification.ts) inside the caller's transaction;
 * a row already queued for the same (event, recipient) is skipped. Returns how many were written.
 */
export function insertAlertNotifications(tx: DbTransaction, planned: readonly PlannedAlertNotification[], now: Date): Promise<number> {
  const rows = planned.map((row) => [
    alertOutboxKey(row.alertEventId, row.channel === "email" ? "subscription" : "webhook", row.subscriptionId ?? row.recipient),
    row.channel,
    "alert",
    row.recipient,
    row.subscriptionId,
    row.alertId,
    row.alertEventId,
    encodeAlertNotificationPayload(row.payload),
    row.status,
    0,
    now,
    now,
  ]);
  return insertRows(tx, "OutboxMessage", OUTBOX_COLUMNS, rows, { onConflictDoNothing: "dedupeKey" });
}
