import { z } from "zod";
import { decodeStoredJson, encodeStoredJson } from "../stored-json";
import { AlertDetails, AlertItem, AlertPartialStopEvidence, AlertStaleEvidence, AlertStopEvidence } from "./types";

/** The row an AlertDetails is stored in: an alert (its evidence as last evaluated) or one of its events. */
export interface AlertDetailsRow {
  table: "Alert" | "AlertEvent";
  id: number;
}

export function encodeAlertDetails(details: AlertDetails, row?: Partial<AlertDetailsRow>): string {
  return encodeStoredJson(AlertDetails, "AlertDetails", details, { column: `${row?.table ?? "Alert"}.details`, rowId: row?.id });
}

/** For the alert engine and the notifications: evidence that is not an AlertDetails is an error, not a guess. */
export function decodeAlertDetails(text: string, row: AlertDetailsRow): AlertDetails {
  return decodeStoredJson(AlertDetails, "AlertDetails", text, { column: `${row.table}.details`, rowId: row.id });
}

const emptyDetails = (): AlertDetails => ({ mirrorId: "", mirrorName: "", major: null, items: [] });

// Each part falls back on its own: a page shows what of an old or damaged row still reads, instead of failing.
const TolerantAlertDetails = z
  .object({
    mirrorId: z.string().catch(""),
    mirrorName: z.string().catch(""),
    major: z.number().int().nullable().catch(null),
    items: z
      .array(z.unknown())
      .catch([])
      .transform((items) =>
        items.flatMap((item) => {
          const parsed = AlertItem.safeParse(item);
          return parsed.success ? [parsed.data] : [];
        }),
      ),
    stop: AlertStopEvidence.optional().catch(undefined),
    partialStop: AlertPartialStopEvidence.optional().catch(undefined),
    stale: AlertStaleEvidence.optional().catch(undefined),
    added: z.array(z.string()).optional().catch(undefined),
    removed: z.array(z.string()).optional().catch(undefined),
  })
  .catch(emptyDetails);

/**
 * For the read side (alert list and page, Atom feed): alerts stay listed for years, so a row written by an older
 * engine or damaged by hand reads as the evidence it still holds (unreadable JSON: none) rather than failing the page.
 */
export function safeDecodeAlertDetails(text: string): AlertDetails {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return emptyDetails();
  }
  return TolerantAlertDetails.parse(json);
}
