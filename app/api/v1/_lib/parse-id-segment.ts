import { BadRequestError } from "@/server/errors";
import { decodePathSegment } from "./handle-api-request";

/** A numeric path id (alerts, silences): a positive whole number, else 400. */
export function parseIdSegment(segment: string, what: string): number {
  const id = decodePathSegment(segment);
  if (!/^[1-9]\d{0,15}$/.test(id)) {
    throw new BadRequestError(`"id": ${what} id is a positive whole number (got "${id}")`, [{ parameter: "id", message: `not ${what} id` }]);
  }
  return Number(id);
}
