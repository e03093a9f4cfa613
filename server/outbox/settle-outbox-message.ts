import "server-only";

import type { NotificationsConfig } from "../../core/config";
import type { Db } from "../db/client";
import type { ClaimedOutboxMessage } from "./claim-outbox-messages";

/** What one delivery attempt of a claimed row came to. */
export type DeliveryResult =
  | { outcome: "sent"; providerId: string }
  | { outcome: "retry"; error: string; retryAfterSeconds?: number }
  | { outcome: "failed"; error: string }
  | { outcome: "cancelled"; reason: string };

export const EMAIL_NOT_CONFIGURED = "email is not configured";

/** Seconds until the next attempt: base·2^attempts (attempts made before this failure), capped, ±10 % jitter. */
export function computeRetryDelaySeconds(
  previousAttempts: number,
  delivery: NotificationsConfig["delivery"],
  random = Math.random,
): number {
  const exponential = Math.min(delivery.backoffMaxSeconds, delivery.backoffBaseSeconds * 2 ** Math.min(previousAttempts, 30));
  return Math.max(1, Math.round(exponential * (0.9 + 0.2 * random())));
}

/**
 * The outbox's transitions out of `sending`, each a compare-and-set on the claim: only the worker that holds the row
 * (status `sending`, `lockedBy` itself) may settle it. sent; cancelled (nothing to send any more); failed for good
 * (permanent error, or `maxAttempts` claims made); else back to pending after the backoff (or the receiver's Retry-After,
 * at most a day). Returns what the row became, or "lost" when the claim had expired and another worker took it.
 */
export async function settleOutboxMessage(
  db: Db,
  message: ClaimedOutboxMessage,
  result: DeliveryResult,
  input: { now: Date; workerId: string; delivery: NotificationsConfig["delivery"] },
): Promise<{ status: "sent" | "cancelled" | "failed" | "retried" | "lost"; delaySeconds?: number }> {
  const mine = { id: message.id, status: "sending", lockedBy: input.workerId };
  const unlock = { lockedBy: null, lockedUntil: null };
  const settle = async (data: object) => (await db.outboxMessage.updateMany({ where: mine, data: { ...unlock, ...data } })).count === 1;
  if (result.outcome === "sent") {
    const done = await settle({ status: "sent", sentAt: input.now, providerId: result.providerId, lastError: null });
    return { status: done ? "sent" : "lost" };
  }
  if (result.outcome === "cancelled") {
    return { status: (await settle({ status: "cancelled", lastError: result.reason })) ? "cancelled" : "lost" };
  }
  if (result.outcome === "failed" || message.attempts >= input.delivery.maxAttempts) {
    return { status: (await settle({ status: "failed", lastError: result.error })) ? "failed" : "lost" };
  }
  const delaySeconds = Math.max(
    computeRetryDelaySeconds(message.attempts - 1, input.delivery),
    Math.min(result.retryAfterSeconds ?? 0, 24 * 3600),
  );
  const done = await settle({
    status: "pending",
    nextAttemptAt: new Date(input.now.getTime() + delaySeconds * 1000),
    lastError: result.error,
  });
  return { status: done ? "retried" : "lost", delaySeconds };
}

/** Says on every due mail row why it waits while no SMTP server is configured (webhooks still go). */
export async function markEmailNotConfigured(db: Db, now: Date): Promise<void> {
  await db.outboxMessage.updateMany({
    where: {
      channel: "email",
      status: "pending",
      nextAttemptAt: { lte: now },
      OR: [{ lastError: null }, { lastError: { not: EMAIL_NOT_CONFIGURED } }],
    },
    data: { lastError: EMAIL_NOT_CONFIGURED },
  });
}
