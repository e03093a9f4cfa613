import { z } from "zod";
import { decodeStoredJson, encodeStoredJson } from "../stored-json";

// OutboxMessage.payload: what the renderer needs besides the rows the message points at. Its shape follows `kind`.
const COLUMN = "OutboxMessage.payload";

/** kind = alert. */
export const AlertNotificationPayload = z.object({
  /**
   * Advisory ids of the event's updates this recipient's scope keeps ([] for mirror-wide alerts and resolves: all of it).
   * Absent reads as [] — all of it — as a row left at the column's default `{}` would mean.
   */
  matchedAdvisoryIds: z.array(z.string()).default([]),
  /** A new subscriber catching up on an alert that fired before: told as a fire, whatever the event was. */
  catchUp: z.boolean().optional(),
});
export type AlertNotificationPayload = z.infer<typeof AlertNotificationPayload>;

/** kind = confirmation. The subscription to confirm; absent: the row's own subscriptionId. */
export const ConfirmationPayload = z.object({ subscriptionId: z.number().int().positive().optional() });
export type ConfirmationPayload = z.infer<typeof ConfirmationPayload>;

/** kind = digest: the held rows it bundles. */
export const DigestPayload = z.object({
  subscriptionId: z.number().int().positive(),
  /** The UTC day, YYYY-MM-DD. */
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  outboxIds: z.array(z.number().int().positive()),
});
export type DigestPayload = z.infer<typeof DigestPayload>;

export function encodeAlertNotificationPayload(payload: AlertNotificationPayload): string {
  return encodeStoredJson(AlertNotificationPayload, "AlertNotificationPayload", payload, { column: COLUMN });
}

export function decodeAlertNotificationPayload(text: string, outboxId: number): AlertNotificationPayload {
  return decodeStoredJson(AlertNotificationPayload, "AlertNotificationPayload", text, { column: COLUMN, rowId: outboxId });
}

export function encodeConfirmationPayload(payload: ConfirmationPayload): string {
  return encodeStoredJson(ConfirmationPayload, "ConfirmationPayload", payload, { column: COLUMN });
}

export function decodeConfirmationPayload(text: string, outboxId: number): ConfirmationPayload {
  return decodeStoredJson(ConfirmationPayload, "ConfirmationPayload", text, { column: COLUMN, rowId: outboxId });
}

export function encodeDigestPayload(payload: DigestPayload): string {
  return encodeStoredJson(DigestPayload, "DigestPayload", payload, { column: COLUMN });
}

export function decodeDigestPayload(text: string, outboxId: number): DigestPayload {
  return decodeStoredJson(DigestPayload, "DigestPayload", text, { column: COLUMN, rowId: outboxId });
}
