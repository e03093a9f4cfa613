import { BadRequestError } from "@/server/errors";

/** A numeric path id (alerts, silences), already percent-decoded: a positive whole number, else 400. */
export function parseIdParam(id: string, what: string): number {
  if (!/^[1-9]\d{0,15}$/.test(id)) {
    throw new BadRequestError(`"id": ${what} id is a positive whole number (got "${id}")`, [
      { parameter: "id", message: `not ${what} id` },
    ]);
  }
  return Number(id);
}
