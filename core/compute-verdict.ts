import { isAvailable, matchBuild, type BuildMatch, type MatchOutcome, type MirrorBuild } from "./match-build";
import { normaliseRelease } from "./normalise-release";
import { compareEvr } from "./rpm-version";
import type { Nevra, RhelStream, VerdictStatus } from "./types";

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
  };
  /** Builds of this package name found on the mirror for this major; epoch null = the mirror does not say (git tags). */
  evidence: Array<MirrorBuild & { publishedAt: Date | null; firstSeenAt: Date }>;
  /** Of this mirror. */
  lastSuccessfulPollAt: Date | null;
}

export interface Verdict {
  status: VerdictStatus;
  /** Seconds from the upstream release to the evidence; only when published. */
  lagSeconds: number | null;
  /** Index into `evidence` of the build that satisfied the package; only when published. */
  evidenceIndex: number | null;
  /** Published: the evidence's match. Otherwise the closest build of that name on the mirror, if any. */
  match: BuildMatch | null;
}

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

interface UnavailableBuild {
  match: BuildMatch;
  build: MirrorBuild;
}

// Same stream first (a changed epoch, then an older build), then another stream; the newest within each.
const CLOSENESS_RANKS: MatchOutcome[] = ["epoch_mismatch", "older", "different_stream"];

function findClosestMatch(pkg: Nevra, candidates: UnavailableBuild[]): BuildMatch | null {
  const evrOf = (build: MirrorBuild) => ({ epoch: build.epoch ?? pkg.epoch, version: build.version, release: normaliseRelease(build.release).base });
  const isCloser = (a: UnavailableBuild, b: UnavailableBuild) => {
    const rankDifference = CLOSENESS_RANKS.indexOf(a.match.outcome) - CLOSENESS_RANKS.indexOf(b.match.outcome);
    return rankDifference !== 0 ? rankDifference < 0 : compareEvr(evrOf(a.build), evrOf(b.build)) > 0;
  };
  let closest: UnavailableBuild | null = null;
  for (const candidate of candidates) if (closest === null || isCloser(candidate, closest)) closest = candidate;
  return closest?.match ?? null;
}

/**
 * A build satisfies a package when `isAvailable` says so for the mirror's relation (same build, an equivalent
 * rebuild or a newer one of the same stream; on a related mirror also a same-or-newer build of another stream).
 * The build that appeared first is the evidence. A build seen before the advisory (early import) gives lag 0,
 * never a negative lag. Evidence already found stays published even when our polls go stale.
 */
export function computeVerdict(input: VerdictInput): Verdict {
  const { now, issuedAt, package: pkg, mirror } = input;
  if (!mirror.majors.includes(pkg.major) || !mirror.streams.includes(pkg.stream)) {
    return { status: "not_applicable", lagSeconds: null, evidenceIndex: null, match: null };
  }

  let evidenceIndex: number | null = null;
  let evidenceMatch: BuildMatch | null = null;
  let evidenceAtMs = Infinity;
  const unavailable: UnavailableBuild[] = [];
  for (const [index, build] of input.evidence.entries()) {
    const match = matchBuild(pkg, build);
    if (match === null) continue;
    if (!isAvailable(match, mirror.relation)) {
      unavailable.push({ match, build });
      continue;
    }
    const seenAtMs = (build.publishedAt ?? build.firstSeenAt).getTime();
    if (seenAtMs < evidenceAtMs) {
      evidenceIndex = index;
      evidenceMatch = match;
      evidenceAtMs = seenAtMs;
    }
  }
  if (evidenceIndex !== null) {
    const lagSeconds = Math.max(0, Math.round((evidenceAtMs - issuedAt.getTime()) / 1000));
    return { status: "published", lagSeconds, evidenceIndex, match: evidenceMatch };
  }

  const isPollStale =
    input.lastSuccessfulPollAt === null || now.getTime() - input.lastSuccessfulPollAt.getTime() > mirror.staleAfterMinutes * MINUTE_MS;
  const match = findClosestMatch(pkg, unavailable);
  if (isPollStale) return { status: "unknown", lagSeconds: null, evidenceIndex: null, match };

  const ageMs = now.getTime() - issuedAt.getTime();
  const status: VerdictStatus =
    ageMs < mirror.expectedLagHours * HOUR_MS ? "pending" : ageMs < mirror.missingAfterHours * HOUR_MS ? "delayed" : "missing";
  return { status, lagSeconds: null, evidenceIndex: null, match };
}
