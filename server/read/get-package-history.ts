import "server-only";

import { formatNevra } from "../../core/nevra";
import { getConfig } from "../config/get-config";
import { getDb } from "../db/client";
import { NotFoundError } from "../errors";
import type { PackageAdvisoryEntry, PackageHistoryResponse } from "../../contract/package-history-dto";
import { toAdvisoryReference } from "./to-advisory-dto";
import { toPackageVerdictSummary } from "./to-package-verdict-dto";

/** Every advisory of one source package across RHEL majors, with its verdict per mirror. Throws NotFoundError when never shipped. */
export async function getPackageHistory(name: string, input: { now: Date }): Promise<PackageHistoryResponse> {
  const packages = await getDb().package.findMany({
    where: { name: name.trim() },
    include: {
      advisory: { select: { id: true, type: true, severity: true, title: true, issuedAt: true } },
      verdicts: {
        select: {
          mirrorId: true,
          status: true,
          statusReason: true,
          lagSeconds: true,
          publishedAt: true,
          lagTimeOrigin: true,
          isTimeSuspect: true,
          evidence: { select: { url: true, firstSeenAt: true, lastAbsentAt: true } },
          lagEvidence: { select: { firstSeenAt: true, lastAbsentAt: true } },
        },
      },
    },
    orderBy: [{ advisory: { issuedAt: "desc" } }, { advisoryId: "desc" }, { major: "asc" }, { stream: "asc" }],
  });
  if (packages.length === 0) throw new NotFoundError(`No tracked advisory shipped a package named ${name}`);
  const mirrors = getConfig().mirrors.map((mirror) => ({ id: mirror.id, name: mirror.name }));
  const rank = new Map(mirrors.map((mirror, index) => [mirror.id, index]));
  const advisories = new Map<string, PackageAdvisoryEntry>();
  for (const pkg of packages) {
    const entry = advisories.get(pkg.advisoryId) ?? { ...toAdvisoryReference(pkg.advisory), builds: [] };
    entry.builds.push({
      nevra: formatNevra(pkg),
      major: pkg.major,
      stream: pkg.stream,
      minor: pkg.minor,
      moduleStream: pkg.moduleStream,
      verdicts: [...pkg.verdicts]
        .sort((a, b) => (rank.get(a.mirrorId) ?? Number.MAX_SAFE_INTEGER) - (rank.get(b.mirrorId) ?? Number.MAX_SAFE_INTEGER))
        .map(toPackageVerdictSummary),
    });
    advisories.set(pkg.advisoryId, entry);
  }
  return {
    now: input.now.toISOString(),
    name: packages[0].name,
    majors: [...new Set(packages.map((pkg) => pkg.major))].sort((a, b) => a - b),
    mirrors,
    advisories: [...advisories.values()],
  };
}
