import "server-only";

import { createHmac } from "node:crypto";
import { readSecretEnv } from "../env";

export type WebhookResult =
  | { outcome: "delivered"; status: number }
  | { outcome: "retry"; status: number | null; error: string; retryAfterSeconds?: number }
  | { outcome: "failed"; status: number; error: string };

export interface WebhookTarget {
  id: string;
  url: string;
  secretEnv?: string;
  timeoutMs: number;
}

/** sha256=<hex HMAC of "<timestamp>.<body>">, what a receiver recomputes to check X-Srcwatch-Signature. */
export function signWebhookBody(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), or undefined. */
export function parseRetryAfterSeconds(value: string | null, now: Date): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

/** POST one delivery. 2xx = delivered; 4xx other than 408/429 = the receiver refuses it for good; the rest = retry. */
export async function sendWebhook(input: {
  webhook: WebhookTarget;
  body: string;
  event: string;
  deliveryId: string;
  now: Date;
  userAgent: string;
}): Promise<WebhookResult> {
  const { webhook, body, now } = input;
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "User-Agent": input.userAgent,
    "X-Srcwatch-Event": input.event,
    "X-Srcwatch-Delivery": input.deliveryId,
    "X-Srcwatch-Timestamp": timestamp,
  };
  if (webhook.secretEnv) {
    const secret = readSecretEnv(webhook.secretEnv);
    if (!secret) return { outcome: "retry", status: null, error: `webhook secret ${webhook.secretEnv} is not set` };
    headers["X-Srcwatch-Signature"] = signWebhookBody(secret, timestamp, body);
  }
  let response: Response;
  try {
    response = await fetch(webhook.url, {
      method: "POST",
      headers,
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(webhook.timeoutMs),
    });
  } catch (error) {
    const name = error instanceof Error ? error.name : "";
    const message =
      name === "TimeoutError"
        ? `timed out after ${webhook.timeoutMs} ms`
        : error instanceof Error
          ? error.cause instanceof Error
            ? error.cause.message
            : error.message
          : String(error);
    return { outcome: "retry", status: null, error: message };
  }
  await response.body?.cancel().catch(() => undefined);
  const status = response.status;
  if (status >= 200 && status < 300) return { outcome: "delivered", status };
  const error = `HTTP ${status}`;
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) return { outcome: "failed", status, error };
  return { outcome: "retry", status, error, retryAfterSeconds: parseRetryAfterSeconds(response.headers.get("retry-after"), now) };
}
