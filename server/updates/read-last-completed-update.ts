import "server-only";

import type { Db } from "../db/client";

export interface LastCompletedUpdate {
  advisoryId: string;
  /** Its publication time; for an update published before tracking, its release: a lower bound of the publication. */
  at: Date;
  isLowerBound: boolean;
}

/**
 * The last update (advisory × major) of `major` the mirror completed, from its Updates (MirrorUpdate): by publication
 * time or — `isBeforeTracking`: updates with a package that was there at our first look, whose time is unknown — by
 * release, the lower bound the publishing rules use (core/alerts/carried-updates.ts). One index walk. The alert rules,
 * the mirror page and the overview take a mirror's last publication from here, so that they name the same day.
 */
export async function readLastCompletedUpdate(
  db: Db,
  input: { mirrorId: string; major: number; now: Date; isBeforeTracking: boolean },
): Promise<LastCompletedUpdate | null> {
  const { mirrorId, major, now } = input;
  if (input.isBeforeTracking) {
    const last = await db.mirrorUpdate.findFirst({
      where: { mirrorId, major, status: "published", isPublishedBeforeTracking: true, issuedAt: { lte: now } },
      orderBy: [{ issuedAt: "desc" }, { advisoryId: "desc" }],
      select: { advisoryId: true, issuedAt: true },
    });
    return last && { advisoryId: last.advisoryId, at: last.issuedAt, isLowerBound: true };
  }
  const last = await db.mirrorUpdate.findFirst({
    where: { mirrorId, major, status: "published", isPublishedBeforeTracking: false, publishedAt: { lte: now } },
    orderBy: [{ publishedAt: "desc" }, { advisoryId: "desc" }],
    select: { advisoryId: true, publishedAt: true },
  });
  return last?.publishedAt ? { advisoryId: last.advisoryId, at: last.publishedAt, isLowerBound: false } : null;
}

/** The later of the two kinds: the mirror's last publication as the publishing rules see it; null when it never published. */
export async function readLastPublication(
  db: Db,
  input: { mirrorId: string; major: number; now: Date },
): Promise<LastCompletedUpdate | null> {
  const [dated, beforeTracking] = await Promise.all(
    [false, true].map((isBeforeTracking) => readLastCompletedUpdate(db, { ...input, isBeforeTracking })),
  );
  if (!dated) return beforeTracking;
  if (!beforeTracking) return dated;
  return beforeTracking.at.getTime() > dated.at.getTime() ? beforeTracking : dated;
}
