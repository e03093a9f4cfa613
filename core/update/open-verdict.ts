import type { VerdictStatus } from "../types";

/** A verdict that can still change: every status but published and not applicable (those are final). */
export const CLOSED_VERDICT_STATUSES = ["published", "not_applicable"] as const satisfies readonly VerdictStatus[];

/** The one definition of "open": a verdict (or an Update) that is not published and not not-applicable. */
export function isOpenVerdict(status: string): boolean {
  return !(CLOSED_VERDICT_STATUSES as readonly string[]).includes(status);
}
