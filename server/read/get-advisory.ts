import { toSafeHref } from "../../core/check-link";
import { formatNevra } from "../../core/nevra";
import { findAdvisoryLink } from "../advisories/find-advisory-link";
import type { VerdictStatus } from "../../core/types";
import { getConfig } from "../config/get-config";
import { getDb } from "../db/client";
import { NotFoundError } from "../errors";
import type { AdvisoryDetailResponse } from "../../contract/advisory-dto";
import type { EvidenceDto } from "../../contract/verdict-dto";
import { findLagPrecisionSeconds, readLagTimeOrigin, readPublicationTimeOrigin, readStatusReason } from "./read-verdict-times";

interface EvidenceRow {
  id: number;
  kind: string;
  name: string;
  epoch: number | null;
  version: string;
  release: string;
  ref: string;
  url: string | null;
  commitSha: string | null;
  firstSeenAt: Date;
  lastAbsentAt: Date | null;
  publishedAt: Date | null;
  publishedAtOrigin: string | null;
}

function toEvidenceDto(evidence: EvidenceRow): EvidenceDto {
  return {
    kind: evidence.kind,
    nevra: formatNevra(evidence),
    ref: evidence.ref,
    url: toSafeHref(evidence.url),
    commitSha: evidence.commitSha,
    firstSeenAt: evidence.firstSeenAt.toISOString(),
    lastAbsentAt: evidence.lastAbsentAt?.toISOString() ?? null,
    publishedAt: evidence.publishedAt?.toISOString() ?? null,
    publishedAtOrigin: evidence.publishedAt === null ? null : readPublicationTimeOrigin(evidence.publishedAtOrigin),
  };
}

/** One advisory: every package × mirror with verdict, lag and evidence. Throws NotFoundError when not tracked. */
export async function getAdvisory(id: string, input: { now: Date }): Promise<AdvisoryDetailResponse> {
  const advisory = await getDb().advisory.findUnique({
    where: { id: id.trim().toUpperCase() },
    include: {
      packages: {
        orderBy: [{ major: "asc" }, { stream: "asc" }, { name: "asc" }],
        include: { verdicts: { include: { evidence: true, lagEvidence: true } } },
      },
    },
  });
  if (!advisory) throw new NotFoundError(`Advisory ${id} is not tracked`);
  const mirrorOrder = getConfig().mirrors;
  const mirrorName = new Map(mirrorOrder.map((mirror) => [mirror.id, mirror.name]));
  const mirrorRelation = new Map(mirrorOrder.map((mirror) => [mirror.id, mirror.relation]));
  const rank = (mirrorId: string) => {
    const index = mirrorOrder.findIndex((mirror) => mirror.id === mirrorId);
    return index === -1 ? Number.MAX_SAFE_INTEGER : index;
  };
  return {
    now: input.now.toISOString(),
    advisory: {
      id: advisory.id,
      type: advisory.type,
      severity: advisory.severity,
      title: advisory.title,
      issuedAt: advisory.issuedAt.toISOString(),
      updatedAt: advisory.updatedAt.toISOString(),
      url: findAdvisoryLink(advisory, getConfig().upstreams),
      cves: advisory.cves ? advisory.cves.split(" ") : [],
    },
    packages: advisory.packages.map((pkg) => ({
      nevra: formatNevra(pkg),
      name: pkg.name,
      epoch: pkg.epoch,
      version: pkg.version,
      release: pkg.release,
      major: pkg.major,
      stream: pkg.stream,
      minor: pkg.minor,
      moduleStream: pkg.moduleStream,
      verdicts: [...pkg.verdicts]
        .sort((a, b) => rank(a.mirrorId) - rank(b.mirrorId))
        .map((verdict) => {
          // The lag build is named only when it differs from the evidence.
          const lagBuild = verdict.lagEvidence ?? verdict.evidence;
          // What the verdict stores, as evaluated (core/compute-verdict.ts): never re-derived here.
          const lagTimeOrigin = readLagTimeOrigin(verdict.lagTimeOrigin);
          return {
            mirrorId: verdict.mirrorId,
            mirrorName: mirrorName.get(verdict.mirrorId) ?? verdict.mirrorId,
            mirrorRelation: mirrorRelation.get(verdict.mirrorId) ?? "exact",
            status: verdict.status as VerdictStatus,
            statusReason: readStatusReason(verdict.statusReason),
            lagSeconds: verdict.lagSeconds,
            publishedAt: verdict.publishedAt?.toISOString() ?? null,
            lagTimeOrigin,
            lagPrecisionSeconds: findLagPrecisionSeconds(lagTimeOrigin, lagBuild),
            isTimeSuspect: verdict.isTimeSuspect,
            since: verdict.since.toISOString(),
            match: verdict.matchOutcome ? { outcome: verdict.matchOutcome, reason: verdict.matchReason ?? "" } : null,
            evidence: verdict.evidence ? toEvidenceDto(verdict.evidence) : null,
            lagEvidence: lagBuild && lagBuild.id !== verdict.evidence?.id ? toEvidenceDto(lagBuild) : null,
          };
        }),
    })),
  };
}
