import { toSafeHref } from "../../core/check-link";
import { formatNevra } from "../../core/nevra";
import { findAdvisoryLink } from "../advisories/find-advisory-link";
import type { VerdictStatus } from "../../core/types";
import { getConfig } from "../config/get-config";
import { getDb } from "../db/client";
import { NotFoundError } from "../errors";
import type { AdvisoryDetailResponse, EvidenceDto } from "./dto";
import { findLagTimeOrigin, readPublicationTimeOrigin } from "./find-lag-time-origin";

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
          // A verdict published before lag builds were kept measured its lag to its evidence.
          const lagBuild = verdict.lagEvidence ?? verdict.evidence;
          return {
            mirrorId: verdict.mirrorId,
            mirrorName: mirrorName.get(verdict.mirrorId) ?? verdict.mirrorId,
            mirrorRelation: mirrorRelation.get(verdict.mirrorId) ?? "exact",
            status: verdict.status as VerdictStatus,
            lagSeconds: verdict.lagSeconds,
            lagTimeOrigin: findLagTimeOrigin(verdict, lagBuild),
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
