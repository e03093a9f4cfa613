import { toSafeHref } from "../../core/check-link";
import { formatNevra } from "../../core/nevra";
import { findAdvisoryLink } from "../advisories/find-advisory-link";
import type { VerdictStatus } from "../../core/types";
import { getConfig } from "../config/get-config";
import { getDb } from "../db/client";
import { NotFoundError } from "../errors";
import type { AdvisoryDetailResponse } from "./dto";

/** One advisory: every package × mirror with verdict, lag and evidence. Throws NotFoundError when not tracked. */
export async function getAdvisory(id: string, input: { now: Date }): Promise<AdvisoryDetailResponse> {
  const advisory = await getDb().advisory.findUnique({
    where: { id: id.trim().toUpperCase() },
    include: {
      packages: {
        orderBy: [{ major: "asc" }, { stream: "asc" }, { name: "asc" }],
        include: { verdicts: { include: { evidence: true } } },
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
        .map((verdict) => ({
          mirrorId: verdict.mirrorId,
          mirrorName: mirrorName.get(verdict.mirrorId) ?? verdict.mirrorId,
          mirrorRelation: mirrorRelation.get(verdict.mirrorId) ?? "exact",
          status: verdict.status as VerdictStatus,
          lagSeconds: verdict.lagSeconds,
          since: verdict.since.toISOString(),
          match: verdict.matchOutcome ? { outcome: verdict.matchOutcome, reason: verdict.matchReason ?? "" } : null,
          evidence: verdict.evidence
            ? {
                kind: verdict.evidence.kind,
                nevra: formatNevra(verdict.evidence),
                ref: verdict.evidence.ref,
                url: toSafeHref(verdict.evidence.url),
                commitSha: verdict.evidence.commitSha,
                firstSeenAt: verdict.evidence.firstSeenAt.toISOString(),
                publishedAt: verdict.evidence.publishedAt?.toISOString() ?? null,
              }
            : null,
        })),
    })),
  };
}
