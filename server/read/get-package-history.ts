import { formatNevra } from "../../core/nevra";
import type { VerdictStatus } from "../../core/types";
import { getConfig } from "../config/get-config";
import { getDb } from "../db/client";
import { NotFoundError } from "../errors";
import { findLagPrecisionSeconds, readLagTimeOrigin, readStatusReason } from "./read-verdict-times";
import type { PackageAdvisoryEntry, PackageHistoryResponse } from "../../contract/package-history-dto";

/** Every advisory of one source package across RHEL majors, with its verdict per mirror. Throws NotFoundError when never shipped. */
export async function getPackageHistory(name: string, input: { now: Date }): Promise<PackageHistoryResponse> {
  const packages = await getDb().package.findMany({
    where: { name: name.trim() },
    include: {
      advisory: { select: { id: true, type: true, severity: true, title: true, issuedAt: true } },
      verdicts: {
        select: {
          mirrorId: true, status: true, statusReason: true, lagSeconds: true, publishedAt: true, lagTimeOrigin: true, isTimeSuspect: true,
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
    const entry = advisories.get(pkg.advisoryId) ?? {
      advisoryId: pkg.advisory.id,
      type: pkg.advisory.type,
      severity: pkg.advisory.severity,
      title: pkg.advisory.title,
      issuedAt: pkg.advisory.issuedAt.toISOString(),
      builds: [],
    };
    entry.builds.push({
      nevra: formatNevra(pkg),
      major: pkg.major,
      stream: pkg.stream,
      minor: pkg.minor,
      moduleStream: pkg.moduleStream,
      verdicts: [...pkg.verdicts]
        .sort((a, b) => (rank.get(a.mirrorId) ?? Number.MAX_SAFE_INTEGER) - (rank.get(b.mirrorId) ?? Number.MAX_SAFE_INTEGER))
        .map((verdict) => {
          const lagBuild = verdict.lagEvidence ?? verdict.evidence;
          const lagTimeOrigin = readLagTimeOrigin(verdict.lagTimeOrigin);
          return {
            mirrorId: verdict.mirrorId,
            status: verdict.status as VerdictStatus,
            statusReason: readStatusReason(verdict.statusReason),
            lagSeconds: verdict.lagSeconds,
            publishedAt: verdict.publishedAt?.toISOString() ?? null,
            lagTimeOrigin,
            lagPrecisionSeconds: findLagPrecisionSeconds(lagTimeOrigin, lagBuild),
            firstSeenAt: verdict.status === "published" ? (lagBuild?.firstSeenAt.toISOString() ?? null) : null,
            isTimeSuspect: verdict.isTimeSuspect,
            evidenceUrl: verdict.evidence?.url ?? null,
          };
        }),
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
