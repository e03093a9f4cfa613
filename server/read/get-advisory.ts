import "server-only";

import { formatNevra } from "../../core/nevra";
import { getConfig } from "../config/get-config";
import { getDb } from "../db/client";
import { NotFoundError } from "../errors";
import type { AdvisoryDetailResponse } from "../../contract/advisory-dto";
import { toAdvisoryDetailDto } from "./to-advisory-dto";
import { toPackageVerdictDto } from "./to-package-verdict-dto";

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
  const { mirrors, upstreams } = getConfig();
  const mirrorById = new Map(mirrors.map((mirror) => [mirror.id, mirror]));
  const rank = (mirrorId: string) => {
    const index = mirrors.findIndex((mirror) => mirror.id === mirrorId);
    return index === -1 ? Number.MAX_SAFE_INTEGER : index;
  };
  return {
    now: input.now.toISOString(),
    advisory: toAdvisoryDetailDto(advisory, upstreams),
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
        .map((verdict) => toPackageVerdictDto(verdict, mirrorById.get(verdict.mirrorId))),
    })),
  };
}
