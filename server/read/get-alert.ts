import "server-only";

import { safeDecodeAlertDetails } from "../../core/alerts/alert-details-codec";
import { listActiveSilences, toSilenceView } from "../alerts/list-silences";
import { getDb } from "../db/client";
import { NotFoundError } from "../errors";
import type { AlertDetailResponse, AlertEventDto } from "../../contract/alert-dto";
import { findMatchingSilences, toAlertDetailsDto, toAlertSummaryDto } from "./list-alerts";

/** One alert with its evidence and timeline. Throws NotFoundError for an unknown id. */
export async function getAlert(id: number, input: { now: Date }): Promise<AlertDetailResponse> {
  const db = getDb();
  const [row, silences] = await Promise.all([
    Number.isSafeInteger(id) && id > 0
      ? db.alert.findUnique({ where: { id }, include: { events: { orderBy: [{ at: "asc" }, { id: "asc" }] } } })
      : null,
    listActiveSilences(db, input.now),
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
        };
      }),
      activeSilences: matching.map((silence) => toSilenceView(silence, input.now)),
    },
  };
}
