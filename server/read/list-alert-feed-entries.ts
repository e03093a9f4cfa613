import "server-only";

import { safeDecodeAlertDetails } from "../../core/alerts/alert-details-codec";
import { getDb, type Db } from "../db/client";
import type { AlertDetailsDto, AlertFeedQuery, AlertSummaryDto } from "../../contract/alert-dto";
import { toAlertDetailsDto, toAlertSummaryDto } from "./list-alerts";

type EventWhere = NonNullable<NonNullable<Parameters<Db["alertEvent"]["findMany"]>[0]>["where"]>;

export const MAX_FEED_ENTRIES = 100;

/** One notified fire or resolve, as the Atom feed tells it. */
export interface AlertFeedEntry {
  eventId: number;
  isResolve: boolean;
  at: Date;
  alert: AlertSummaryDto;
  /** The evidence as of this event. */
  details: AlertDetailsDto;
}

/**
 * The feed tells what notifications tell: fired, uninhibited (a folded alert now told on its own) and resolved events
 * that were notified — not per-update alerts folded into a stop, nor silenced ones. Newest first.
 */
export async function listAlertFeedEntries(query: AlertFeedQuery): Promise<AlertFeedEntry[]> {
  const types =
    query.status === "firing"
      ? ["fired", "uninhibited"]
      : query.status === "resolved"
        ? ["resolved"]
        : ["fired", "uninhibited", "resolved"];
  const alert: EventWhere["alert"] = {
    AND: [
      query.mirror ? { mirrorId: { in: query.mirror } } : {},
      query.kind ? { kind: { in: query.kind } } : {},
      query.major ? { OR: [{ major: { in: query.major } }, { major: null }] } : {},
    ],
  };
  const events = await getDb().alertEvent.findMany({
    where: { type: { in: types }, notified: true, alert },
    include: { alert: true },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: MAX_FEED_ENTRIES,
  });
  return events.map((event) => {
    const details = safeDecodeAlertDetails(event.details);
    return {
      eventId: event.id,
      isResolve: event.type === "resolved",
      at: event.at,
      // As of this event: its headline is computed from the same details as its body.
      alert: toAlertSummaryDto(event.alert, { details, isSilenced: false }),
      details: toAlertDetailsDto(details, event.alert),
    };
  });
}
