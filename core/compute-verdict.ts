import { isAvailable, matchBuild, type BuildMatch, type MatchOutcome, type EvidenceBuild } from "./match-build";
import { normaliseRelease } from "./normalise-release";
import { compareEvr } from "./rpm-version";
import type { Nevra, PublicationTimeOrigin, RhelStream, VerdictStatus } from "./types";

export interface VerdictInput {
  now: Date;
  /** Upstream release time of the advisory. */
  issuedAt: Date;
  package: Nevra & { major: number; stream: RhelStream };
  mirror: {
    majors: number[];
    streams: RhelStream[];
    expectedLagHours: number;
    missingAfterHours: number;
    staleAfterMinutes: number;
    /** exact: RHEL's sources or rebuilds of them; related: CentOS Stream, where a same-or-newer build of another stream counts. */
    relation: "exact" | "related";
    /** A publication time more than this many days before issuedAt is suspect; default DEFAULT_SUSPECT_TIME_BEFORE_RELEASE_DAYS. */
    suspectTimeBeforeReleaseDays?: number;
    /** The mirror began then (OpenELA: 2023): updates released before are not applicable unless the mirror has them. */
    trackedFrom?: Date | null;
  };
  /** Builds of this package name found on the mirror for this major; epoch null = the mirror does not say (git tags). */
  evidence: Array<EvidenceTimes & EvidenceBuild>;
  /** Of this mirror. */
  lastSuccessfulPollAt: Date | null;
  /**
   * When a poll of this mirror last asked about this package's name (per-package mirrors) or read the whole listing
   * (listing mirrors): the poll's start. null: never.
   */
  checkedAt: Date | null;
  /** When srcwatch recorded the package; a poll that started before did not ask about it. null: long ago (any poll counts). */
  recordedAt: Date | null;
}

/** What a poll knows of a build's time. */
export interface EvidenceTimes {
  /** The mirror's own time, if it gave one, and where it was read. */
  publishedAt: Date | null;
  publishedAtOrigin?: PublicationTimeOrigin | null;
  /** Our poll's time when the build was first found. */
  firstSeenAt: Date;
  /** Start of the previous poll that asked about the name without finding the build; null: it was there when we first looked. */
  lastAbsentAt: Date | null;
}

/**
 * Where a published verdict's lag time comes from: the mirror's own time (its origin), our first sight of the build
 * (an upper bound: it was absent at the poll before), or nothing — the build was there when we first looked, so it was
 * published before tracking and has no lag. `mirror`: the mirror's own time, stored before origins were kept.
 */
export const LAG_TIME_ORIGINS = [
  "tagger_date",
  "commit_date",
  "forge_api",
  "erratum_date",
  "index_date",
  "mirror",
  "first_seen",
  "before_tracking",
] as const;
export type LagTimeOrigin = (typeof LAG_TIME_ORIGINS)[number];

/** unknown: stale (our polls of the mirror fail) or not_checked (no poll asked about it yet); not_applicable: not_carried or before_tracked_from. */
export const VERDICT_STATUS_REASONS = ["stale", "not_checked", "not_carried", "before_tracked_from"] as const;
export type VerdictStatusReason = (typeof VERDICT_STATUS_REASONS)[number];

export interface Verdict {
  status: VerdictStatus;
  statusReason: VerdictStatusReason | null;
  /** Seconds from the upstream release to the build at `lagEvidenceIndex`; only when published with a known time. */
  lagSeconds: number | null;
  /** The lag build's time as the lag counts it; null when unpublished or published before tracking. */
  publishedAt: Date | null;
  /** Published only. */
  lagTimeOrigin: LagTimeOrigin | null;
  /** Index into `evidence` of the build shown as evidence (the exact build whenever there is one); only when published. */
  evidenceIndex: number | null;
  /** Index into `evidence` of the build the lag is measured to: the earliest that carries the fix; only when published. */
  lagEvidenceIndex: number | null;
  /** The lag build's publication time was not believable, so the lag is measured to our first sight of it. */
  isTimeSuspect: boolean;
  /** Published: the evidence's match. Otherwise the closest build of that name on the mirror, if any. */
  match: BuildMatch | null;
}

/**
 * A git tag can predate the advisory by weeks (embargoed imports) and a CentOS Stream build by months; a year before
 * is no import any more but a wrong clock or an old commit's date (a lightweight tag on a rebased commit).
 */
export const DEFAULT_SUSPECT_TIME_BEFORE_RELEASE_DAYS = 365;

export interface PublicationTime {
  /** The time to order builds by: the believed mirror time, else our first sight (for before_tracking, only a bound). */
  at: Date;
  /** published: the mirror's own time; first_seen: ours, because the mirror gave none or one not believable. */
  source: "published" | "first_seen";
  /** The mirror gave a time, but after we first saw the build or too long before the release. */
  isSuspect: boolean;
  origin: LagTimeOrigin;
}

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** A mirror's clock may run a little ahead of ours: a time this much after our first sight is still believed. */
const CLOCK_SKEW_TOLERANCE_MS = 5 * MINUTE_MS;

/**
 * The time a build counts from. The mirror's time is believed unless it is after our first sight of the build (the
 * poll's `now` then: a clock in the future) or more than `suspectBeforeReleaseDays` before the release; such a time
 * is only a bound, and our first sight — an upper bound of the publication — is used instead.
 */
export function choosePublicationTime(
  build: EvidenceTimes,
  issuedAt: Date,
  suspectBeforeReleaseDays = DEFAULT_SUSPECT_TIME_BEFORE_RELEASE_DAYS,
): PublicationTime {
  // Our first sight is a publication time only when the build was absent at an earlier look; else it predates tracking.
  const firstSeenOrigin: LagTimeOrigin = build.lastAbsentAt === null ? "before_tracking" : "first_seen";
  if (build.publishedAt === null) return { at: build.firstSeenAt, source: "first_seen", isSuspect: false, origin: firstSeenOrigin };
  const publishedAtMs = build.publishedAt.getTime();
  const isSuspect =
    publishedAtMs > build.firstSeenAt.getTime() + CLOCK_SKEW_TOLERANCE_MS ||
    publishedAtMs < issuedAt.getTime() - suspectBeforeReleaseDays * DAY_MS;
  if (isSuspect) return { at: build.firstSeenAt, source: "first_seen", isSuspect, origin: firstSeenOrigin };
  const origin = build.publishedAtOrigin && build.publishedAtOrigin !== "first_seen" ? build.publishedAtOrigin : "mirror";
  return { at: build.publishedAt, source: "published", isSuspect, origin };
}

// How well a build answers the package, best first: only these outcomes can make it available.
const QUALITY_RANKS: MatchOutcome[] = ["exact", "equivalent", "newer", "epoch_mismatch", "different_stream"];

interface AvailableBuild {
  index: number;
  match: BuildMatch;
  build: EvidenceBuild;
  time: PublicationTime;
}

interface UnavailableBuild {
  match: BuildMatch;
  build: EvidenceBuild;
}

// Same stream first (a changed epoch, then an older build), then another stream; the newest within each.
const CLOSENESS_RANKS: MatchOutcome[] = ["epoch_mismatch", "older", "different_stream"];

function findClosestMatch(pkg: Nevra, candidates: UnavailableBuild[]): BuildMatch | null {
  const evrOf = (build: EvidenceBuild) => ({
    epoch: build.epoch ?? pkg.epoch,
    version: build.version,
    release: normaliseRelease(build.release).base,
  });
  const isCloser = (a: UnavailableBuild, b: UnavailableBuild) => {
    const rankDifference = CLOSENESS_RANKS.indexOf(a.match.outcome) - CLOSENESS_RANKS.indexOf(b.match.outcome);
    return rankDifference !== 0 ? rankDifference < 0 : compareEvr(evrOf(a.build), evrOf(b.build)) > 0;
  };
  let closest: UnavailableBuild | null = null;
  for (const candidate of candidates) if (closest === null || isCloser(candidate, closest)) closest = candidate;
  return closest?.match ?? null;
}

/** Match quality (exact > equivalent rebuild > newer > …), then rpm order, lowest sufficient build first; never tag string order. */
function compareQualityThenEvr(pkg: Nevra, a: AvailableBuild, b: AvailableBuild): number {
  const rankDifference = QUALITY_RANKS.indexOf(a.match.outcome) - QUALITY_RANKS.indexOf(b.match.outcome);
  if (rankDifference !== 0) return rankDifference;
  const evrOf = (build: EvidenceBuild, release: string) => ({ epoch: build.epoch ?? pkg.epoch, version: build.version, release });
  return (
    compareEvr(evrOf(a.build, normaliseRelease(a.build.release).base), evrOf(b.build, normaliseRelease(b.build.release).base)) ||
    compareEvr(evrOf(a.build, a.build.release), evrOf(b.build, b.build.release)) ||
    a.index - b.index
  );
}

const findFirst = <T>(items: T[], compare: (a: T, b: T) => number): T =>
  items.reduce((first, item) => (compare(item, first) < 0 ? item : first));

/**
 * A build satisfies a package when `isAvailable` says so for the mirror's relation (same build, an equivalent
 * rebuild or a newer one of the same stream; on a related mirror also a same-or-newer build of another stream).
 * The evidence shown is the best match — the exact build whenever the mirror has it — and the lag is measured to
 * the earliest build that carries the fix, which can be an earlier newer build; ties in time go to the better match,
 * then the lower version. A build seen before the advisory (early import) gives lag 0, never a negative lag.
 * Evidence already found stays published even when our polls go stale.
 */
export function computeVerdict(input: VerdictInput): Verdict {
  const { now, issuedAt, package: pkg, mirror } = input;
  const closed = {
    lagSeconds: null,
    publishedAt: null,
    lagTimeOrigin: null,
    evidenceIndex: null,
    lagEvidenceIndex: null,
    isTimeSuspect: false,
  };
  if (!mirror.majors.includes(pkg.major) || !mirror.streams.includes(pkg.stream)) {
    return { status: "not_applicable", statusReason: "not_carried", ...closed, match: null };
  }

  const available: AvailableBuild[] = [];
  const unavailable: UnavailableBuild[] = [];
  for (const [index, build] of input.evidence.entries()) {
    const match = matchBuild(pkg, build);
    if (match === null) continue;
    if (!isAvailable(match, mirror.relation)) unavailable.push({ match, build });
    else available.push({ index, match, build, time: choosePublicationTime(build, issuedAt, mirror.suspectTimeBeforeReleaseDays) });
  }
  if (available.length > 0) {
    const byTime = (a: AvailableBuild, b: AvailableBuild) => a.time.at.getTime() - b.time.at.getTime();
    const byQuality = (a: AvailableBuild, b: AvailableBuild) => compareQualityThenEvr(pkg, a, b);
    const byOutcome = (a: AvailableBuild, b: AvailableBuild) =>
      QUALITY_RANKS.indexOf(a.match.outcome) - QUALITY_RANKS.indexOf(b.match.outcome);
    const lagBuild = findFirst(available, (a, b) => byTime(a, b) || byQuality(a, b));
    const shownBuild = findFirst(available, (a, b) => byOutcome(a, b) || byTime(a, b) || byQuality(a, b));
    const isBeforeTracking = lagBuild.time.origin === "before_tracking";
    return {
      status: "published",
      statusReason: null,
      lagSeconds: isBeforeTracking ? null : Math.max(0, Math.round((lagBuild.time.at.getTime() - issuedAt.getTime()) / 1000)),
      publishedAt: isBeforeTracking ? null : lagBuild.time.at,
      lagTimeOrigin: lagBuild.time.origin,
      evidenceIndex: shownBuild.index,
      lagEvidenceIndex: lagBuild.index,
      isTimeSuspect: lagBuild.time.isSuspect,
      match: shownBuild.match,
    };
  }

  // A mirror never polled successfully has not been asked about anything yet: not checked, rather than stale.
  const isPollStale =
    input.lastSuccessfulPollAt !== null && now.getTime() - input.lastSuccessfulPollAt.getTime() > mirror.staleAfterMinutes * MINUTE_MS;
  const match = findClosestMatch(pkg, unavailable);
  const unpublished = { ...closed, match };
  if (isPollStale) return { status: "unknown", statusReason: "stale", ...unpublished };
  // Only a poll that asked about the package can find it absent (an empty first poll, a poll during the first sync).
  const isChecked =
    input.lastSuccessfulPollAt !== null &&
    input.checkedAt !== null &&
    (input.recordedAt === null || input.checkedAt.getTime() >= input.recordedAt.getTime());
  if (!isChecked) return { status: "unknown", statusReason: "not_checked", ...unpublished };
  if (mirror.trackedFrom && issuedAt.getTime() < mirror.trackedFrom.getTime()) {
    return { status: "not_applicable", statusReason: "before_tracked_from", ...unpublished };
  }

  const ageMs = now.getTime() - issuedAt.getTime();
  const status: VerdictStatus =
    ageMs < mirror.expectedLagHours * HOUR_MS ? "pending" : ageMs < mirror.missingAfterHours * HOUR_MS ? "delayed" : "missing";
  return { status, statusReason: null, ...unpublished };
}
