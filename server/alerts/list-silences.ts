import "server-only";

import type { ActiveSilence } from "../../core/alerts/evaluate-alert-rules";
import { safeDecodeSilenceMatchers, type SilenceMatchers } from "../../core/alerts/silence-matchers";
import type { Db } from "../db/client";

export const SILENCE_STATES = ["pending", "active", "expired"] as const;
export type SilenceState = (typeof SILENCE_STATES)[number];

export interface SilenceView {
  id: number;
  matchers: SilenceMatchers;
  startsAt: string;
  endsAt: string;
  author: string;
  comment: string;
  createdAt: string;
  state: SilenceState;
}

export function toSilenceView(
  row: { id: number; matchers: string | SilenceMatchers; startsAt: Date; endsAt: Date; author: string; comment: string; createdAt: Date },
  now: Date,
): SilenceView {
  // A silence whose stored matchers no longer parse is still listed (without matchers; it silences nothing), never a failed page.
  const matchers = typeof row.matchers === "string" ? safeDecodeSilenceMatchers(row.matchers) : row.matchers;
  const state: SilenceState =
    row.endsAt.getTime() <= now.getTime() ? "expired" : row.startsAt.getTime() > now.getTime() ? "pending" : "active";
  return {
    id: row.id,
    matchers: matchers ?? {},
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    author: row.author,
    comment: row.comment,
    createdAt: row.createdAt.toISOString(),
    state,
  };
}

/** Silences, newest first; `state` narrows to pending, active or expired ones. */
export async function listSilences(db: Db, input: { now: Date; state?: SilenceState; limit?: number }): Promise<SilenceView[]> {
  const { now } = input;
  const where =
    input.state === "active"
      ? { startsAt: { lte: now }, endsAt: { gt: now } }
      : input.state === "pending"
        ? { startsAt: { gt: now }, endsAt: { gt: now } }
        : input.state === "expired"
          ? { endsAt: { lte: now } }
          : {};
  const rows = await db.silence.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(input.limit ?? 200, 1000),
  });
  return rows.map((row) => toSilenceView(row, now));
}

/** A silence in force, its matchers parsed. */
export type ParsedSilence = ActiveSilence & { author: string; comment: string; createdAt: Date };

/** Silences in force at `now`, newest first; one whose matchers do not parse silences nothing and is left out. */
export async function listActiveSilences(db: Db, now: Date): Promise<ParsedSilence[]> {
  const rows = await db.silence.findMany({
    where: { startsAt: { lte: now }, endsAt: { gt: now } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  return rows.flatMap((row) => {
    const matchers = safeDecodeSilenceMatchers(row.matchers);
    return matchers ? [{ ...row, matchers }] : [];
  });
}
