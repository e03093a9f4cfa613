import "server-only";

import { z } from "zod";
import { encodeSilenceMatchers, SilenceMatchers } from "../../core/alerts/silence-matchers";
import type { Db } from "../db/client";
import { BadRequestError } from "../errors";
import { toSilenceView, type SilenceView } from "./list-silences";

const MAX_SILENCE_DAYS = 366;

export const CreateSilenceInput = z.object({
  matchers: SilenceMatchers,
  /** Default: now. */
  startsAt: z.coerce.date().optional(),
  endsAt: z.coerce.date(),
  author: z.string().trim().min(1, "author is required").max(100, "author: at most 100 characters"),
  comment: z.string().trim().min(1, "comment is required: say why the alerts are silenced").max(1000, "comment: at most 1000 characters"),
});
export type CreateSilenceInput = z.input<typeof CreateSilenceInput>;

/** A silence keeps matching alerts quiet (they still fire and are listed) from startsAt until endsAt. */
export async function createSilence(db: Db, input: { silence: unknown; now: Date }): Promise<SilenceView> {
  const parsed = CreateSilenceInput.safeParse(input.silence);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
    throw new BadRequestError(`invalid silence: ${where}${issue.message}`, parsed.error.issues);
  }
  const { matchers, endsAt, author, comment } = parsed.data;
  const startsAt = parsed.data.startsAt ?? input.now;
  if (Number.isNaN(startsAt.getTime()) || Number.isNaN(endsAt.getTime()))
    throw new BadRequestError("invalid silence: startsAt and endsAt must be ISO times");
  if (endsAt.getTime() <= startsAt.getTime()) throw new BadRequestError("invalid silence: endsAt must be after startsAt");
  if (endsAt.getTime() <= input.now.getTime()) throw new BadRequestError("invalid silence: endsAt is in the past");
  if (endsAt.getTime() - startsAt.getTime() > MAX_SILENCE_DAYS * 86_400_000)
    throw new BadRequestError(`invalid silence: at most ${MAX_SILENCE_DAYS} days`);
  if (matchers.mirrorId !== undefined && !(await db.mirror.findUnique({ where: { id: matchers.mirrorId }, select: { id: true } }))) {
    throw new BadRequestError(`invalid silence: unknown mirror "${matchers.mirrorId}"`);
  }
  const row = await db.silence.create({
    data: { matchers: encodeSilenceMatchers(matchers), startsAt, endsAt, author, comment, createdAt: input.now },
  });
  return toSilenceView(row, input.now);
}
