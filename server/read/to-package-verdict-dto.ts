import "server-only";

import type { MirrorConfig } from "../../core/config";
import type { VerdictStatus } from "../../core/types";
import type { PackageVerdictSummary } from "../../contract/package-history-dto";
import type { PackageVerdictDto } from "../../contract/verdict-dto";
import { readStatusReason, readStoredLag } from "./read-verdict-times";
import { toEvidenceDto, type EvidenceRow } from "./to-evidence-dto";

type LagBuild = { firstSeenAt: Date; lastAbsentAt: Date | null };

interface VerdictRow<Build extends LagBuild> {
  mirrorId: string;
  status: string;
  statusReason: string | null;
  lagSeconds: number | null;
  publishedAt: Date | null;
  lagTimeOrigin: string | null;
  isTimeSuspect: boolean;
  evidence: Build | null;
  lagEvidence: Build | null;
}

/**
 * What a verdict stores, as evaluated (core/compute-verdict.ts): never re-derived here. Shared, in this order, by the
 * advisory page's PackageVerdictDto and the package history's PackageVerdictSummary.
 */
function toVerdictTimes(verdict: VerdictRow<LagBuild>) {
  const lag = readStoredLag(verdict);
  return {
    status: verdict.status as VerdictStatus,
    statusReason: readStatusReason(verdict.statusReason),
    lagSeconds: lag.lagSeconds,
    publishedAt: verdict.publishedAt?.toISOString() ?? null,
    lagTimeOrigin: lag.lagTimeOrigin,
    lagPrecisionSeconds: lag.lagPrecisionSeconds,
  };
}

/** One package on one mirror with its evidence (the advisory page). `mirror` is undefined for a mirror no longer configured. */
export function toPackageVerdictDto(
  verdict: VerdictRow<EvidenceRow> & { since: Date; matchOutcome: string | null; matchReason: string | null },
  mirror: Pick<MirrorConfig, "name" | "relation"> | undefined,
): PackageVerdictDto {
  // The lag build is named only when it differs from the evidence.
  const lagBuild = verdict.lagEvidence ?? verdict.evidence;
  return {
    mirrorId: verdict.mirrorId,
    mirrorName: mirror?.name ?? verdict.mirrorId,
    mirrorRelation: mirror?.relation ?? "exact",
    ...toVerdictTimes(verdict),
    isTimeSuspect: verdict.isTimeSuspect,
    since: verdict.since.toISOString(),
    match: verdict.matchOutcome ? { outcome: verdict.matchOutcome, reason: verdict.matchReason ?? "" } : null,
    evidence: verdict.evidence ? toEvidenceDto(verdict.evidence) : null,
    lagEvidence: lagBuild && lagBuild.id !== verdict.evidence?.id ? toEvidenceDto(lagBuild) : null,
  };
}

/** One package on one mirror, without the evidence itself (a package's history). */
export function toPackageVerdictSummary(verdict: VerdictRow<LagBuild & { url?: string | null }>): PackageVerdictSummary {
  const lagBuild = verdict.lagEvidence ?? verdict.evidence;
  return {
    mirrorId: verdict.mirrorId,
    ...toVerdictTimes(verdict),
    firstSeenAt: verdict.status === "published" ? (lagBuild?.firstSeenAt.toISOString() ?? null) : null,
    isTimeSuspect: verdict.isTimeSuspect,
    evidenceUrl: verdict.evidence?.url ?? null,
  };
}
