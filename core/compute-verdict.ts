import { sameStream } from "./nevra";
import { compareEvr } from "./rpm-version";
import type { Nevra, RhelStream, VerdictStatus } from "./types";

export interface VerdictInput {
  now: Date;
  /** Upstream release time of the advisory. */
  issuedAt: Date;
  package: Nevra & { major: number; stream: RhelStream };
  mirror: { majors: number[]; streams: RhelStream[]; expectedLagHours: number; missingAfterHours: number; staleAfterMinutes: number };
  /** Builds of this package name found on the mirror for this major. */
  /** epoch null = the mirror does not say (git tags): taken to be the package's. */
  evidence: Array<Omit<Nevra, "epoch"> & { epoch: number | null; publishedAt: Date | null; firstSeenAt: Date }>;
  /** Of this mirror. */
  lastSuccessfulPollAt: Date | null;
}

export interface Verdict {
  status: VerdictStatus;
  /** Seconds from the upstream release to the evidence; only when published. */
  lagSeconds: number | null;
  /** Index into `evidence` of the build that satisfied the package; only when published. */
  evidenceIndex: number | null;
}

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/**
 * A build satisfies a package when it has the same name, the same dist stream (`.el8_6` is not satisfied by `.el8`)
 * and an EVR equal or newer. The oldest such build is the evidence. A build seen before the advisory (early import)
 * gives lag 0, never a negative lag. Evidence already found stays published even when our polls go stale.
 */
export function computeVerdict(input: VerdictInput): Verdict {
  const { now, issuedAt, package: pkg, mirror } = input;
  if (!mirror.majors.includes(pkg.major) || !mirror.streams.includes(pkg.stream)) {
    return { status: "not_applicable", lagSeconds: null, evidenceIndex: null };
  }

  let evidenceIndex: number | null = null;
  let evidenceAtMs = Infinity;
  for (const [index, build] of input.evidence.entries()) {
    const evr = { epoch: build.epoch ?? pkg.epoch, version: build.version, release: build.release };
    if (build.name !== pkg.name || !sameStream(build.release, pkg.release) || compareEvr(evr, pkg) < 0) continue;
    const seenAtMs = (build.publishedAt ?? build.firstSeenAt).getTime();
    if (seenAtMs < evidenceAtMs) {
      evidenceIndex = index;
      evidenceAtMs = seenAtMs;
    }
  }
  if (evidenceIndex !== null) {
    const lagSeconds = Math.max(0, Math.round((evidenceAtMs - issuedAt.getTime()) / 1000));
    return { status: "published", lagSeconds, evidenceIndex };
  }

  const isPollStale =
    input.lastSuccessfulPollAt === null || now.getTime() - input.lastSuccessfulPollAt.getTime() > mirror.staleAfterMinutes * MINUTE_MS;
  if (isPollStale) return { status: "unknown", lagSeconds: null, evidenceIndex: null };

  const ageMs = now.getTime() - issuedAt.getTime();
  const status: VerdictStatus =
    ageMs < mirror.expectedLagHours * HOUR_MS ? "pending" : ageMs < mirror.missingAfterHours * HOUR_MS ? "delayed" : "missing";
  return { status, lagSeconds: null, evidenceIndex: null };
}
