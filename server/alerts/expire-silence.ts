import "server-only";

import type { Db } from "../db/client";
import { NotFoundError } from "../errors";
import { toSilenceView, type SilenceView } from "./list-silences";

/** Ends a silence now (a pending one never starts). Expiring an expired silence changes nothing. */
export async function expireSilence(db: Db, input: { id: number; now: Date }): Promise<SilenceView> {
  const row = await db.silence.findUnique({ where: { id: input.id } });
  if (!row) throw new NotFoundError(`no silence ${input.id}`);
  if (row.endsAt.getTime() <= input.now.getTime()) return toSilenceView(row, input.now);
  const startsAt = row.startsAt.getTime() > input.now.getTime() ? input.now : row.startsAt;
  const updated = await db.silence.update({ where: { id: input.id }, data: { endsAt: input.now, startsAt } });
  return toSilenceView(updated, input.now);
}
