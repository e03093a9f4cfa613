import type { MirrorConfig } from "./config";

const HOUR_SECONDS = 3600;
/** However long a package has been missing, its name is asked about at least once a day. */
export const MAX_NAME_CHECK_INTERVAL_SECONDS = 24 * HOUR_SECONDS;

export type NameCheckPolicy = Pick<MirrorConfig, "pollIntervalSeconds" | "missingAfterHours">;

/** One name × major a per-package mirror still has to show, with what decides when to ask about it again. */
export interface NameCheckCandidate {
  name: string;
  major: number;
  /** Release (the advisory's issuedAt) of the newest open package of this name and major. */
  newestIssuedAt: Date;
  /** The latest `Package.recordedAt` among those packages; null when none was kept. */
  lastRecordedAt: Date | null;
  /** Start of the last poll that asked the mirror about this name and major; null: never asked. */
  lastCheckedAt: Date | null;
}

/**
 * Seconds between two checks of a name whose newest open package is `ageSeconds` old: the mirror's interval I while
 * younger than M = missingAfterHours, then I doubled as the time it has been missing grows, at most a day:
 * T(a) = I when a − M < 2·I, else min(24 h, I · 2^⌊log2((a − M) / I)⌋), and never less than I.
 */
export function findNameCheckIntervalSeconds(ageSeconds: number, policy: NameCheckPolicy): number {
  const intervalSeconds = policy.pollIntervalSeconds;
  const missingForSeconds = ageSeconds - policy.missingAfterHours * HOUR_SECONDS;
  if (missingForSeconds < 2 * intervalSeconds) return intervalSeconds;
  const doubled = intervalSeconds * 2 ** Math.floor(Math.log2(missingForSeconds / intervalSeconds));
  return Math.max(intervalSeconds, Math.min(MAX_NAME_CHECK_INTERVAL_SECONDS, doubled));
}

/**
 * Whether this poll asks about the name. Always when it was never asked or a package of it was recorded after the last
 * check (not checked is not missing), and every poll while T(a) is the mirror's interval. Otherwise once per slot of
 * length T(a) — slots offset per name by a hash, so names that back off together do not all come due in one poll.
 */
export function isNameCheckDue(candidate: NameCheckCandidate, policy: NameCheckPolicy, now: Date): boolean {
  const { lastCheckedAt, lastRecordedAt } = candidate;
  if (lastCheckedAt === null) return true;
  if (lastRecordedAt !== null && lastRecordedAt > lastCheckedAt) return true;
  const ageSeconds = (now.getTime() - candidate.newestIssuedAt.getTime()) / 1000;
  const slotSeconds = findNameCheckIntervalSeconds(ageSeconds, policy);
  if (slotSeconds <= policy.pollIntervalSeconds) return true;
  const offsetSeconds = hashToFraction(`${candidate.name}\u0000${candidate.major}`) * slotSeconds;
  const slotOf = (at: Date) => Math.floor((at.getTime() / 1000 + offsetSeconds) / slotSeconds);
  return slotOf(now) > slotOf(lastCheckedAt);
}

/**
 * The names × majors a per-package mirror's poll asks about at `now` (see isNameCheckDue). With N_y names whose newest
 * open package is younger than M + 2·I (or new, or never asked), a poll with nothing new asks on average
 * N_y + Σ_others I / T(a) < N_y + Σ_others I / min(24 h, (a − M) / 2) names: N_y + N_others · I / 24 h once every other
 * has been missing two days.
 */
export function scheduleNameChecks<C extends NameCheckCandidate>(candidates: Iterable<C>, policy: NameCheckPolicy, now: Date): C[] {
  return [...candidates].filter((candidate) => isNameCheckDue(candidate, policy, now));
}

/** FNV-1a, 32 bits, as a fraction in [0, 1): a stable offset per name that spreads the slots evenly. */
function hashToFraction(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) / 2 ** 32;
}
