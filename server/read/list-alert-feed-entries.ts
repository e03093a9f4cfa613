import { getDb, type Db } from "../db/client";
import type { AlertFeedQuery } from "../../contract/alert-dto";
import { parseAlertDetails, toAlertDetailsDto, toAlertSummaryDto } from "./list-alerts";
import type { AlertFeedEntry } from "../feeds/build-alerts-atom-feed";

type EventWhere = NonNullable<NonNullable<Parameters<Db["alertEvent"]["findMany"]>[0]>["where"]>;

export const MAX_FEED_ENTRIES = 100;

/**
 * The feed tells what notifications tell: fired, uninhibited (a folded alert now told on its own) and resolved events
 * that were notified — not per-update alerts folded into a stop, nor silenced ones. Newest first.
 */
export async function listAlertFeedEntries(query: AlertFeedQuery): Promise<AlertFeedEntry[]> {
  const types = query.status === "firing" ? ["fired", "uninhibited"] : query.status === "resolved" ? ["resolved"] : ["fired", "uninhibited", "resolved"];
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
    const details = parseAlertDetails(event.details);
    return {
      eventId: event.id,
      isResolve: event.type === "resolved",
      at: event.at,
      alert: toAlertSummaryDto(event.alert, { details: parseAlertDetails(event.alert.details), isSilenced: false }),
      details: toAlertDetailsDto(details, event.alert),
    };
  });
}
