import "server-only";

import type { Db, DbTransaction } from "../db/client";
import { getSigningSecret, verifySubscriptionToken, type TokenPurpose } from "./subscription-tokens";

type SubscriptionRow = Awaited<ReturnType<Db["subscription"]["findUniqueOrThrow"]>>;

/**
 * The subscription a link's token names, if the token is genuine and made for one of `purposes`; null otherwise.
 * `isCurrent` is false when the subscription's links were revoked since (tokenVersion moved on).
 */
export async function findTokenSubscription(
  db: Db | DbTransaction,
  input: { token: string; purposes: readonly TokenPurpose[]; now: Date },
): Promise<{ subscription: SubscriptionRow; isCurrent: boolean; secret: string } | null> {
  const secret = await getSigningSecret(db);
  for (const purpose of input.purposes) {
    const claims = verifySubscriptionToken(secret, input.token, purpose, input.now);
    if (!claims) continue;
    const subscription = await db.subscription.findUnique({ where: { id: claims.subscriptionId } });
    if (!subscription) return null;
    return { subscription, isCurrent: subscription.tokenVersion === claims.version, secret };
  }
  return null;
}
