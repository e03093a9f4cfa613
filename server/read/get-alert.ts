import "server-only";

import { safeDecodeAlertDetails } from "../../core/alerts/alert-details-codec";
import { listActiveSilences, toSilenceView } from "../alerts/list-silences";
import { getDb, type Db } from "../db/client";
import { NotFoundError } from "../errors";
import type { AlertDetailResponse, AlertEventDto } from "../../contract/alert-dto";
import { findMatchingSilences, toAlertDetailsDto, toAlertSummaryDto } from "./list-alerts";

const noDeliveries = (): AlertEventDto["deliveries"] => ({
  email: { sent: 0, waiting: 0, failed: 0 },
  webhook: { sent: 0, waiting: 0, failed: 0 },
});

const DELIVERY_BUCKETS: Record<string, keyof AlertEventDto["deliveries"]["email"]> = {
  sent: "sent",
  bundled: "sent",
  pending: "waiting",
  sending: "waiting",
  held: "waiting",
  failed: "failed",
  cancelled: "failed",
};

/** The alert's outbox rows per event, channel and outcome: what the timeline says was actually sent. One grouped read. */
async function countDeliveries(db: Db, alertId: number): Promise<Map<number, AlertEventDto["deliveries"]>> {
  const groups = await db.outboxMessage.groupBy({
    by: ["alertEventId", "channel", "status"],
    where: { alertId, kind: "alert" },
    _count: { _all: true },
  });
  const byEvent = new Map<number, AlertEventDto["deliveries"]>();
  for (const group of groups) {
    const bucket = DELIVERY_BUCKETS[group.status];
    if (group.alertEventId === null || !bucket || (group.channel !== "email" && group.channel !== "webhook")) continue;
    const counts = byEvent.get(group.alertEventId) ?? noDeliveries();
    counts[group.channel][bucket] += group._count._all;
    byEvent.set(group.alertEventId, counts);
  }
  return byEvent;
}

/** One alert with its evidence and timeline. Throws NotFoundError for an unknown id. */
export async function getAlert(id: number, input: { now: Date }): Promise<AlertDetailResponse> {
  const db = getDb();
  const isId = Number.isSafeInteger(id) && id > 0;
  const [row, silences, deliveries] = await Promise.all([
    isId ? db.alert.findUnique({ where: { id }, include: { events: { orderBy: [{ at: "asc" }, { id: "asc" }] } } }) : null,
    listActiveSilences(db, input.now),
    isId ? countDeliveries(db, id) : new Map<number, AlertEventDto["deliveries"]>(),
  ]);
  if (!row) throw new NotFoundError(`No alert ${id}`);
  const details = safeDecodeAlertDetails(row.details);
  const matching = findMatchingSilences(row, silences);
  return {
    now: input.now.toISOString(),
    alert: {
      ...toAlertSummaryDto(row, { details, isSilenced: matching.length > 0 }),
      details: toAlertDetailsDto(details, row),
      events: row.events.map((event): AlertEventDto => {
        const eventDetails = safeDecodeAlertDetails(event.details);
        return {
          id: event.id,
          type: event.type as AlertEventDto["type"],
          at: event.at.toISOString(),
          notified: event.notified,
          quietReason: event.quietReason,
          added: eventDetails.added ?? [],
          removed: eventDetails.removed ?? [],
          deliveries: deliveries.get(event.id) ?? noDeliveries(),
        };
      }),
      activeSilences: matching.map((silence) => toSilenceView(silence, input.now)),
    },
  };
}
