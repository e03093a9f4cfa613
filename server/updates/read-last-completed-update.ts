import "server-only";

import type { Db } from "../db/client";

export interface LastCompletedUpdate {
  advisoryId: string;
  /**
   * When the mirror published it; for an update with a package that was there at our first look, a lower bound: the
   * latest of its release and its other packages' times (core/update/fold-update.ts).
   */
  at: Date;
  isLowerBound: boolean;
}

/**
 * The last update (advisory × major) of `major` the mirror completed, from its Updates (MirrorUpdate), by publication
 * time: among dated ones, or — `isBeforeTracking` — among those it had before we first looked, by the lower bound the
 * publishing rules use (core/alerts/carried-updates.ts). One seek of MirrorUpdate (mirrorId, major, status,
 * isPublishedBeforeTracking, publishedAt, advisoryId), read from the index alone: the tie-break is in it, nothing sorts. The alert rules' loader, and through it the mirror page, and the overview
 * take a mirror's last publication from here, so that they name the same day.
 */
export async function readLastCompletedUpdate(
  db: Db,
  input: { mirrorId: string; major: number; now: Date; isBeforeTracking: boolean },
): Promise<LastCompletedUpdate | null> {
  const { mirrorId, major, now, isBeforeTracking } = input;
  const last = await db.mirrorUpdate.findFirst({
    where: { mirrorId, major, status: "published", isPublishedBeforeTracking: isBeforeTracking, publishedAt: { lte: now } },
    orderBy: [{ publishedAt: "desc" }, { advisoryId: "desc" }],
    select: { advisoryId: true, publishedAt: true },
  });
  return last?.publishedAt ? { advisoryId: last.advisoryId, at: last.publishedAt, isLowerBound: isBeforeTracking } : null;
}

/** The mirror's last publication: the later of its last dated one and the last lower bound before tracking; null when neither. */
export function pickLastPublication<T extends Pick<LastCompletedUpdate, "at">>(dated: T | null, beforeTracking: T | null): T | null {
  if (!dated) return beforeTracking;
  if (!beforeTracking) return dated;
  return beforeTracking.at.getTime() > dated.at.getTime() ? beforeTracking : dated;
}
