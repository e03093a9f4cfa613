import "server-only";

import type { Db } from "../db/client";
import { findTokenSubscription } from "./find-token-subscription";
import type { TokenPurpose } from "./subscription-tokens";

export type SubscriptionLinkState = "invalid" | "pending" | "active" | "unsubscribed";

/**
 * What a mailed link's page should offer, without acting on it (pages answer GET, which link scanners follow).
 * An ended subscription reads "unsubscribed" for an unsubscribe link (a second click is fine) and "invalid" otherwise.
 */
export async function getSubscriptionLinkState(
  db: Db,
  input: { token: string; purposes: readonly TokenPurpose[]; now: Date },
): Promise<SubscriptionLinkState> {
  const found = await findTokenSubscription(db, input);
  if (!found) return "invalid";
  const { subscription } = found;
  if (subscription.status === "unsubscribed") return input.purposes.includes("unsubscribe") ? "unsubscribed" : "invalid";
  if (!found.isCurrent) return "invalid";
  return subscription.status === "active" ? "active" : "pending";
}
