import type { Db } from "../../server/db/client";
import { getSigningSecret, signSubscriptionToken } from "../../server/subscriptions/subscription-tokens";

export interface SubscriptionLinkTokens {
  /** Confirms a pending subscription. */
  confirmToken: string;
  /** Manage and unsubscribe an active subscription (another address). */
  manageToken: string;
  unsubscribeToken: string;
}

/** A pending and an active subscription written directly, and the tokens of their mailed links. */
export async function createSubscriptionLinkTokens(db: Db, input: { now: Date }): Promise<SubscriptionLinkTokens> {
  const secret = await getSigningSecret(db);
  const scope = JSON.stringify({
    mirrors: [],
    majors: [],
    kinds: ["publishing_stopped", "partial_stop", "update_missing", "mirror_stale"],
    severities: [],
    packagePatterns: [],
  });
  const pending = await db.subscription.create({ data: { email: "pending@example.org", status: "pending", scope, createdAt: input.now } });
  const active = await db.subscription.create({
    data: { email: "active@example.org", status: "active", scope, createdAt: input.now, confirmedAt: input.now },
  });
  const token = (subscription: { id: number; tokenVersion: number }, purpose: "confirm" | "manage" | "unsubscribe") =>
    signSubscriptionToken(secret, {
      subscriptionId: subscription.id,
      purpose,
      version: subscription.tokenVersion,
      issuedAt: input.now.getTime(),
    });
  return { confirmToken: token(pending, "confirm"), manageToken: token(active, "manage"), unsubscribeToken: token(active, "unsubscribe") };
}
