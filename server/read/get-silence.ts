import "server-only";

import { toSilenceView } from "../alerts/list-silences";
import { getDb } from "../db/client";
import { NotFoundError } from "../errors";
import type { SilenceResponse } from "../../contract/alert-dto";

/** One silence. Throws NotFoundError for an unknown id. */
export async function getSilence(id: number, input: { now: Date }): Promise<SilenceResponse> {
  const row = Number.isSafeInteger(id) && id > 0 ? await getDb().silence.findUnique({ where: { id } }) : null;
  if (!row) throw new NotFoundError(`No silence ${id}`);
  return { now: input.now.toISOString(), silence: toSilenceView(row, input.now) };
}
