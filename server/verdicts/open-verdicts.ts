import "server-only";

import type { MirrorConfig } from "../../core/config";
import { CLOSED_VERDICT_STATUSES } from "../../core/update/open-verdict";

const HOUR_MS = 3_600_000;

/**
 * Verdicts that can still change are looked up and re-evaluated: every status but published and not applicable.
 * Updates released before a mirror's `trackedFrom` are not applicable unless the mirror has them; a young mirror imports
 * its back catalogue over its first days, so until `missingAfterHours` after `trackedFrom` those stay open too — after
 * that they are final, and a mirror installed long after it began pays nothing for them.
 */
export function isBackfillWindowOpen(mirror: Pick<MirrorConfig, "trackedFrom" | "missingAfterHours">, now: Date): boolean {
  if (!mirror.trackedFrom) return false;
  return now.getTime() < new Date(mirror.trackedFrom).getTime() + mirror.missingAfterHours * HOUR_MS;
}

/** Prisma filter of the verdicts still open (see isBackfillWindowOpen for `withBeforeTrackedFrom`). */
export function whereOpenVerdict(withBeforeTrackedFrom: boolean) {
  const open = { status: { notIn: [...CLOSED_VERDICT_STATUSES] } };
  return withBeforeTrackedFrom ? { OR: [open, { status: "not_applicable", statusReason: "before_tracked_from" }] } : open;
}
