import type { MirrorConfig } from "../../core/config";
import { isAvailable, matchBuild, type EvidenceBuild } from "../../core/match-build";
import { parseNvr } from "../../core/nevra";
import type { VerdictStatus } from "../../core/types";
import { listCentosImports } from "../../simulator/git-forge/build-forge-store";
import type { ScenarioPackageRelease, ScenarioTimeline } from "../../simulator/scenarios/june-2023";
import { computeMirrorPublications, type MirrorProfile } from "../../simulator/scenarios/mirror-publications";

const HOUR_MS = 3_600_000;

/** A build a simulated mirror publishes, and when. */
export type ScenarioPublication = EvidenceBuild & { major: number; publishedAt: Date };

/** What the simulator's git.centos.org ("centos", tags without an epoch) or another profile publishes in the scenario. */
export function listScenarioPublications(timeline: ScenarioTimeline, profile: MirrorProfile | "centos"): ScenarioPublication[] {
  if (profile === "centos") {
    return listCentosImports(timeline.packages).map((item) => ({
      ...parseNvr(item.nvr)!,
      epoch: null,
      major: item.major,
      publishedAt: item.importAt,
    }));
  }
  return computeMirrorPublications(timeline, profile);
}

/** When a build that answers the package first appears on the mirror (by the same rules as the verdicts); null: never. */
export function findFirstAvailableAt(
  pkg: ScenarioPackageRelease,
  mirror: MirrorConfig,
  publications: readonly ScenarioPublication[],
): Date | null {
  const target = { name: pkg.name, epoch: pkg.epoch, version: pkg.version, release: pkg.release };
  let first: Date | null = null;
  for (const publication of publications) {
    if (publication.major !== pkg.major) continue;
    const match = matchBuild(target, publication);
    if (match === null || !isAvailable(match, mirror.relation)) continue;
    if (first === null || publication.publishedAt < first) first = publication.publishedAt;
  }
  return first;
}

/**
 * The scenario's truth for one package on one mirror at `now`, for a mirror asked about it (no trackedFrom: callers
 * decide what an update released before it is). As test/integration/every-mirror.test.ts.
 */
export function expectScenarioStatus(
  pkg: ScenarioPackageRelease,
  mirror: MirrorConfig,
  publications: readonly ScenarioPublication[],
  now: Date,
): VerdictStatus {
  if (!pkg.isMainStream || !mirror.majors.includes(pkg.major)) return "not_applicable";
  const firstAt = findFirstAvailableAt(pkg, mirror, publications);
  if (firstAt !== null && firstAt <= now) return "published";
  const ageMs = now.getTime() - pkg.releasedAt.getTime();
  return ageMs < mirror.expectedLagHours * HOUR_MS ? "pending" : ageMs < mirror.missingAfterHours * HOUR_MS ? "delayed" : "missing";
}

/** `advisoryId/name-epoch:version-release/major`: a database package's key into the scenario's packages. */
export function scenarioPackageKey(pkg: {
  advisoryId: string;
  name: string;
  epoch: number;
  version: string;
  release: string;
  major: number;
}): string {
  return `${pkg.advisoryId}/${pkg.name}-${pkg.epoch}:${pkg.version}-${pkg.release}/${pkg.major}`;
}

export function indexScenarioPackages(timeline: ScenarioTimeline): Map<string, ScenarioPackageRelease> {
  return new Map(timeline.packages.map((pkg) => [`${pkg.advisoryId}/${pkg.nevra}/${pkg.major}`, pkg]));
}
