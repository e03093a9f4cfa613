import "server-only";

import { runWriteTransaction } from "../db/run-write-transaction";
import { createHash } from "node:crypto";
import type { SrcwatchConfig } from "../../core/config";
import { encodeConfirmationPayload } from "../../core/notifications/outbox-payload-codec";
import { encodeSubscriptionScope } from "../../core/subscription-scope";
import type { Db } from "../db/client";
import { consumeRateLimit } from "../rate-limit/consume-rate-limit";
import { checkScopeConfigured } from "./check-scope-configured";
import { SUBSCRIBE_ANSWER, type SubscribeRequest, type SubscribeResponse } from "../../contract/subscription-dto";
import { EmailNotConfiguredError, TooManyRequestsError } from "./subscription-errors";

const HOUR_SECONDS = 3600;
const DAY_SECONDS = 86_400;

export function confirmationOutboxKey(subscriptionId: number, sequence: number): string {
  return `confirm/${subscriptionId}/${sequence}`;
}

/**
 * Record a pending subscription and queue its confirmation mail, in one transaction. The answer is the same for
 * a new, pending or active address — a known address also gets a new pending subscription, which replaces the
 * old one once confirmed. Beyond the per-address daily limit nothing is queued, and the answer still does not change.
 */
export async function subscribe(
  db: Db,
  input: { request: SubscribeRequest; clientIp: string; config: SrcwatchConfig; now: Date },
): Promise<SubscribeResponse> {
  const { request, config, now } = input;
  if (!config.notifications.email) throw new EmailNotConfiguredError();
  checkScopeConfigured(request.scope, config);

  const perIp = await consumeRateLimit(db, {
    key: `subscribe/ip/${input.clientIp}`,
    limit: config.notifications.limits.subscribeRequestsPerIpPerHour,
    windowSeconds: HOUR_SECONDS,
    now,
  });
  if (!perIp.allowed)
    throw new TooManyRequestsError("Too many subscription requests from your address; try again later.", perIp.retryAfterSeconds);

  const addressHash = createHash("sha256").update(request.email).digest("base64url");
  const perAddress = await consumeRateLimit(db, {
    key: `confirmation-mail/${addressHash}`,
    limit: config.notifications.limits.confirmationMailsPerAddressPerDay,
    windowSeconds: DAY_SECONDS,
    now,
  });
  if (!perAddress.allowed) return { message: SUBSCRIBE_ANSWER };

  await runWriteTransaction(db, async (tx) => {
    const subscription = await tx.subscription.create({
      data: {
        email: request.email,
        status: "pending",
        scope: encodeSubscriptionScope(request.scope),
        delivery: request.delivery,
        reminders: request.reminders,
        createdAt: now,
      },
    });
    await tx.outboxMessage.create({
      data: {
        dedupeKey: confirmationOutboxKey(subscription.id, 1),
        channel: "email",
        kind: "confirmation",
        recipient: subscription.email,
        subscriptionId: subscription.id,
        payload: encodeConfirmationPayload({ subscriptionId: subscription.id }),
        status: "pending",
        nextAttemptAt: now,
        createdAt: now,
      },
    });
  });
  return { message: SUBSCRIBE_ANSWER };
}
