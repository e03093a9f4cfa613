import { findDistStream } from "./nevra";
import { normaliseRelease } from "./normalise-release";
import { compareEvr, compareRpmVersion } from "./rpm-version";
import type { Evidence, Nevra } from "./types";

export const MATCH_OUTCOMES = ["exact", "equivalent", "newer", "older", "different_stream", "epoch_mismatch"] as const;
export type MatchOutcome = (typeof MATCH_OUTCOMES)[number];

export interface BuildMatch {
  outcome: MatchOutcome;
  /** A short sentence for users: "Same build, AlmaLinux suffix .alma.1." */
  reason: string;
  /** The build against the package in rpm order, after normalising both releases: 1 = the build is newer. */
  order: -1 | 0 | 1;
}

/** The part of evidence a package is matched against: epoch null when the mirror does not say (git tags). */
export type EvidenceBuild = Pick<Evidence, "name" | "epoch" | "version" | "release">;

// Both the dist tag (after normalisation) and what follows it: `el8_6`, `.3`, `_fips`, `.cloud`.
const DIST_TAG_AND_TAIL = /^.*(?:^|[.+_])(?:module\+el\d+\.\d+\.\d+|el\d+(?:_\d+)?)(?![0-9A-Za-z])(.*)$/;
const KSPLICE = /\.ksplice\d*\./;

/**
 * The stream a normalised release belongs to, variants included: `el8_6`, `module+el8.9`, `el8_6_fips`,
 * `el8_10 ksplice`, `el8_7.cloud`. A letter after the dist tag marks a variant build (Oracle FIPS, Rocky cloud
 * kernels, CentOS `.centos.plus`): a different product that happens to share RHEL's NVR, never a rebuild of it.
 */
function findBuildStream(normalisedRelease: string): string {
  const dist = findDistStream(normalisedRelease) ?? "without a RHEL dist tag";
  const tail = DIST_TAG_AND_TAIL.exec(normalisedRelease)?.[1] ?? "";
  const variant = /[A-Za-z]/.test(tail) ? tail.replace(/\.\d+/g, "") : "";
  return `${dist}${variant}${KSPLICE.test(normalisedRelease) ? " ksplice" : ""}`;
}

function formatEvr(evr: { epoch: number; version: string; release: string }, isEpochShown: boolean): string {
  return `${isEpochShown ? `${evr.epoch}:` : ""}${evr.version}-${evr.release}`;
}

function listInWords(items: string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/**
 * How a build found on a mirror relates to an upstream package; null when the names differ.
 * Build epoch null = the mirror does not say (git tags): take the package's.
 */
export function matchBuild(pkg: Nevra, build: EvidenceBuild): BuildMatch | null {
  if (build.name !== pkg.name) return null;
  const buildEpoch = build.epoch ?? pkg.epoch;
  const isEpochShown = buildEpoch !== 0 || pkg.epoch !== 0;
  const buildEvr = { epoch: buildEpoch, version: build.version, release: build.release };
  const packageText = formatEvr(pkg, isEpochShown);
  const buildText = formatEvr(buildEvr, isEpochShown);

  if (buildEpoch === pkg.epoch && build.version === pkg.version && build.release === pkg.release) {
    const note = build.epoch === null && pkg.epoch !== 0 ? " (the mirror does not give the epoch)" : "";
    return { outcome: "exact", reason: `Same build ${buildText}${note}.`, order: 0 };
  }

  const packageRelease = normaliseRelease(pkg.release);
  const buildRelease = normaliseRelease(build.release);
  const order = compareEvr({ ...buildEvr, release: buildRelease.base }, { ...pkg, release: packageRelease.base });
  const orderInWords = order > 0 ? "newer" : order < 0 ? "older" : "the same version";

  const packageStream = findBuildStream(packageRelease.base);
  const buildStream = findBuildStream(buildRelease.base);
  if (packageStream !== buildStream) {
    return {
      outcome: "different_stream",
      reason: `Different stream: the build ${buildText} is ${buildStream}, the package ${packageStream}; the build is ${orderInWords}.`,
      order,
    };
  }

  const isSameVersionRelease =
    compareRpmVersion(build.version, pkg.version) === 0 && compareRpmVersion(buildRelease.base, packageRelease.base) === 0;
  if (isSameVersionRelease && buildEpoch !== pkg.epoch) {
    return {
      outcome: "epoch_mismatch",
      reason: `Same version ${build.version}-${build.release} but epoch ${buildEpoch} instead of ${pkg.epoch}.`,
      order,
    };
  }
  if (isSameVersionRelease) {
    const buildOnly = buildRelease.removed.filter((label) => !packageRelease.removed.includes(label));
    const packageOnly = packageRelease.removed.filter((label) => !buildRelease.removed.includes(label));
    const differences = buildOnly.length > 0 ? buildOnly : packageOnly.map((label) => `upstream ${label}`);
    const reason =
      differences.length > 0 ? `Same build, ${listInWords(differences)}.` : `Same version in rpm's order: ${buildText} and ${packageText}.`;
    return { outcome: "equivalent", reason, order: 0 };
  }

  const outcome = order > 0 ? "newer" : "older";
  return { outcome, reason: `${outcome === "newer" ? "Newer" : "Older"} build ${buildText} than ${packageText}.`, order };
}

/**
 * Whether a match makes the package available on a mirror of that relation. A related mirror (CentOS Stream)
 * also counts a build of another stream when it is the same or newer. A changed epoch counts only upwards: rpm
 * then orders the build after the package.
 */
export function isAvailable(match: BuildMatch, relation: "exact" | "related"): boolean {
  switch (match.outcome) {
    case "exact":
    case "equivalent":
    case "newer":
      return true;
    case "older":
      return false;
    case "epoch_mismatch":
      return match.order > 0;
    case "different_stream":
      return relation === "related" && match.order >= 0;
  }
}
