import "server-only";

import { createHash } from "node:crypto";

/** Stable per outbox row: a resend after a crash carries the same Message-ID, so receivers can fold duplicates. */
export function buildOutboxMessageId(message: { id: number; dedupeKey: string }): string {
  const hash = createHash("sha256").update(message.dedupeKey).digest("hex").slice(0, 16);
  return `<outbox-${message.id}.${hash}@srcwatch>`;
}
