import "server-only";

import { getClockSpeed } from "../clock";

import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Db, DbTransaction } from "../db/client";
import { getEnv } from "../env";

/** What a signed link lets its holder do. */
export type TokenPurpose = "confirm" | "manage" | "unsubscribe";

/** A confirmation link works for a week; manage and unsubscribe links until the subscription's tokenVersion changes. */
/** Real time: in a demo whose clock runs fast, the link still lives 7 days of the person's time (getClockSpeed). */
export const CONFIRM_TOKEN_TTL_MS = 7 * 24 * 3600 * 1000;

const SECRET_SETTING = "subscription-link-secret";

interface TokenClaims {
  subscriptionId: number;
  purpose: TokenPurpose;
  version: number;
  /** ms since epoch */
  issuedAt: number;
}

/** SRCWATCH_SECRET, else a random secret generated once and kept in the database (every process then agrees). */
export async function getSigningSecret(db: Db | DbTransaction): Promise<string> {
  const fromEnv = getEnv().SRCWATCH_SECRET;
  if (fromEnv) return fromEnv;
  const existing = await db.setting.findUnique({ where: { key: SECRET_SETTING } });
  if (existing) return existing.value;
  const generated = randomBytes(32).toString("base64url");
  await db.$executeRaw`INSERT INTO "Setting" ("key", "value") VALUES (${SECRET_SETTING}, ${generated}) ON CONFLICT ("key") DO NOTHING`;
  const stored = await db.setting.findUniqueOrThrow({ where: { key: SECRET_SETTING } });
  return stored.value;
}

function sign(secret: string, body: string): string {
  return createHmac("sha256", secret).update(body).digest("base64url");
}

export function signSubscriptionToken(secret: string, claims: TokenClaims): string {
  const body = Buffer.from(JSON.stringify([claims.subscriptionId, claims.purpose, claims.version, claims.issuedAt])).toString("base64url");
  return `${body}.${sign(secret, body)}`;
}

/** The claims of a genuine token for `purpose`, or null (forged, other purpose, malformed, expired confirmation). */
export function verifySubscriptionToken(secret: string, token: string, purpose: TokenPurpose, now: Date): TokenClaims | null {
  if (typeof token !== "string" || token.length > 512) return null;
  const [body, signature, extra] = token.split(".");
  if (!body || !signature || extra !== undefined) return null;
  const expected = Buffer.from(sign(secret, body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (!Array.isArray(decoded) || decoded.length !== 4) return null;
  const [subscriptionId, tokenPurpose, version, issuedAt] = decoded as unknown[];
  if (!Number.isInteger(subscriptionId) || tokenPurpose !== purpose || !Number.isInteger(version) || !Number.isInteger(issuedAt))
    return null;
  if (purpose === "confirm" && now.getTime() - (issuedAt as number) > CONFIRM_TOKEN_TTL_MS * getClockSpeed()) return null;
  return { subscriptionId: subscriptionId as number, purpose, version: version as number, issuedAt: issuedAt as number };
}

export interface SubscriptionLinks {
  confirmUrl: string;
  manageUrl: string;
  /** A page with one button (link scanners that follow GET links must not unsubscribe anyone). */
  unsubscribeUrl: string;
  /** RFC 8058 one-click target: POST with body `List-Unsubscribe=One-Click`. */
  oneClickUnsubscribeUrl: string;
}

/** Every link a mail to this subscription carries. */
export function buildSubscriptionLinks(
  publicUrl: string,
  secret: string,
  subscription: { id: number; tokenVersion: number },
  now: Date,
): SubscriptionLinks {
  const token = (purpose: TokenPurpose) =>
    encodeURIComponent(
      signSubscriptionToken(secret, {
        subscriptionId: subscription.id,
        purpose,
        version: subscription.tokenVersion,
        issuedAt: now.getTime(),
      }),
    );
  const origin = publicUrl.replace(/\/+$/, "");
  return {
    confirmUrl: `${origin}/subscribe/confirm?token=${token("confirm")}`,
    manageUrl: `${origin}/subscriptions/manage?token=${token("manage")}`,
    unsubscribeUrl: `${origin}/unsubscribe?token=${token("unsubscribe")}`,
    oneClickUnsubscribeUrl: `${origin}/api/v1/subscriptions/unsubscribe?token=${token("unsubscribe")}`,
  };
}
