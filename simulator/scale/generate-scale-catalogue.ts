import type { ScenarioAdvisory, ScenarioPackage } from "../load-scenario-advisories";
import {
  computeImportDelayMs,
  hashToUnit,
  type ScenarioPackageRelease,
  type ScenarioRelease,
  type ScenarioTimeline,
} from "../scenarios/june-2023";

const DAY_MS = 86_400_000;
/** RHEL 8 and 9 together ship about this many source packages a year (main and extended streams). */
export const DEFAULT_PACKAGES_PER_DAY = 30;
/** About as many source package names as a RHEL major carries: a big catalogue repeats names, as real history does. */
export const DEFAULT_NAME_POOL = 4000;
const SEVERITIES = ["Low", "Moderate", "Important", "Critical"] as const;

export interface ScaleCatalogueOptions {
  /** Source packages (Package rows: one NEVRA for one major and stream) the catalogue ships in all… */
  packageCount?: number;
  /** …or the number of advisories (≈ 3 source packages each); exactly one of the two. */
  advisoryCount?: number;
  /** The last advisory's release; earlier ones go back in time at `packagesPerDay`. */
  endAt: Date;
  packagesPerDay?: number;
  /** Distinct source package names; default min(packages, DEFAULT_NAME_POOL). */
  nameCount?: number;
  /** Share of main-stream packages git.centos.org never imports (they stay missing there). */
  neverImportedShare?: number;
  /** Changes every pseudo-random choice; the same seed gives the same catalogue on every machine. */
  seed?: string;
}

export interface ScaleCatalogue {
  timeline: ScenarioTimeline;
  advisoryCount: number;
  packageCount: number;
  nameCount: number;
  firstReleaseAt: Date;
  lastReleaseAt: Date;
}

interface PlannedRecord {
  major: number;
  packages: Array<{ name: string; stream: string }>;
}

function pick<T>(items: readonly T[], unit: number): T {
  return items[Math.min(items.length - 1, Math.floor(unit * items.length))];
}

/** Dist minor of a main-stream build released on `at`: a new minor about every six months, as RHEL does. */
function mainMinor(major: number, at: Date): number {
  const halfYears = Math.floor((at.getTime() - Date.parse(major === 8 ? "2019-05-07" : "2022-05-17")) / (182 * DAY_MS));
  return Math.max(0, Math.min(10, halfYears));
}

/** Advisories of 1–5 packages (≈ 3 on average), 15 % of them for both majors, a quarter of the packages in an EUS stream. */
function planAdvisories(size: { packageCount: number } | { advisoryCount: number }, seed: string): PlannedRecord[][] {
  const advisories: PlannedRecord[][] = [];
  const packageCount = "packageCount" in size ? size.packageCount : Infinity;
  const advisoryCount = "advisoryCount" in size ? size.advisoryCount : Infinity;
  let planned = 0;
  for (let index = 0; planned < packageCount && index < advisoryCount; index++) {
    const unit = (what: string) => hashToUnit(`${seed}/advisory/${index}/${what}`);
    const majors = unit("majors") < 0.15 ? [8, 9] : [unit("major") < 0.5 ? 8 : 9];
    const records = majors.map((major) => {
      const size = majors.length === 2 ? 1 + Math.floor(unit(`size/${major}`) * 2) : 1 + Math.floor(unit("size") * 5);
      const stream = unit(`stream/${major}`) < 0.25 ? `EUS ${major}.${major === 8 ? 6 : 2}` : "main";
      return { major, packages: Array.from({ length: size }, () => ({ name: "", stream })) };
    });
    for (const record of records) {
      record.packages = record.packages.slice(0, packageCount - planned);
      planned += record.packages.length;
    }
    advisories.push(records.filter((record) => record.packages.length > 0));
  }
  return advisories;
}

/**
 * A synthetic RHEL catalogue of `packageCount` source packages (or `advisoryCount` advisories) for the simulator's
 * replicas, shaped like the june-2023 timeline (releases for the CSAF feed, packages with git.centos.org import times).
 * Names repeat across advisories with rising releases, so older packages are answered by newer builds, as on real mirrors.
 */
export function generateScaleCatalogue(options: ScaleCatalogueOptions): ScaleCatalogue {
  const seed = options.seed ?? "scale";
  const packagesPerDay = options.packagesPerDay ?? DEFAULT_PACKAGES_PER_DAY;
  const size = options.packageCount ?? options.advisoryCount;
  if ((options.packageCount === undefined) === (options.advisoryCount === undefined) || !Number.isInteger(size) || size! < 1) {
    throw new RangeError("give either packageCount or advisoryCount, a positive integer");
  }
  const plans = planAdvisories(options.packageCount !== undefined ? { packageCount: size! } : { advisoryCount: size! }, seed);
  const plannedPackages = plans.reduce((sum, plan) => sum + plan.reduce((count, record) => count + record.packages.length, 0), 0);
  const nameCount = options.nameCount ?? Math.min(plannedPackages, DEFAULT_NAME_POOL);
  const neverImportedShare = options.neverImportedShare ?? 0.02;
  if (!Number.isInteger(nameCount) || nameCount < 1) throw new RangeError("nameCount must be a positive integer");

  const names = Array.from({ length: nameCount }, (_, index) => `scale-${String(index).padStart(6, "0")}`);
  const versionByName = new Map<string, string>();
  const releaseCounter = new Map<string, number>();
  const spanMs = (plannedPackages / packagesPerDay) * DAY_MS;
  const endMs = Math.floor(options.endAt.getTime() / 1000) * 1000;

  const releases: ScenarioRelease[] = [];
  const packages: ScenarioPackageRelease[] = [];
  plans.forEach((plan, index) => {
    const releasedAt = new Date(Math.floor((endMs - spanMs * (1 - (index + 1) / plans.length)) / 1000) * 1000);
    const year = releasedAt.getUTCFullYear();
    const advisoryId = `RHSA-${year}:${String(10_000 + index).padStart(5, "0")}`;
    const unit = (what: string) => hashToUnit(`${seed}/${advisoryId}/${what}`);
    const cves = Array.from({ length: 1 + Math.floor(unit("cves") * 3) }, (_, cve) => `CVE-${year}-${100_000 + index * 3 + cve}`);
    const severity = pick(SEVERITIES, unit("severity"));
    const records: ScenarioAdvisory[] = plan.map((record) => {
      const taken = new Set<string>();
      const items: ScenarioPackage[] = record.packages.map((item, position) => {
        let nameIndex = Math.floor(unit(`name/${record.major}/${position}`) * nameCount);
        while (taken.has(names[nameIndex]) && taken.size < nameCount) nameIndex = (nameIndex + 1) % nameCount;
        const name = names[nameIndex];
        taken.add(name);
        if (!versionByName.has(name)) versionByName.set(name, `${1 + Math.floor(hashToUnit(`${seed}/v/${name}`) * 9)}.${nameIndex % 20}`);
        const counterKey = `${name}/${record.major}`;
        const counter = (releaseCounter.get(counterKey) ?? 0) + 1;
        releaseCounter.set(counterKey, counter);
        const minor = item.stream === "main" ? mainMinor(record.major, releasedAt) : Number(item.stream.split(".")[1]);
        return {
          name,
          epoch: null,
          version: versionByName.get(name)!,
          release: `${counter}.el${record.major}_${minor}`,
          kind: "rpm",
          streams: [item.stream],
        };
      });
      return {
        id: advisoryId,
        type: "security",
        severity,
        title: `${items[0].name} security update`,
        major: record.major,
        releasedAt: releasedAt.toISOString(),
        releasedAtPrecision: "day",
        packages: items,
        cves,
        source: "redhat-api",
        products: null,
        streams: [...new Set(items.flatMap((item) => item.streams ?? []))],
        stream: record.packages[0].stream.split(" ")[0],
      };
    });
    releases.push({ advisoryId, releasedAt, records });
    for (const record of records) {
      for (const item of record.packages) {
        const version = item.version!;
        const release = item.release!;
        const isMainStream = item.streams?.includes("main") ?? false;
        const nevra = `${item.name}-0:${version}-${release}`;
        const nvr = `${item.name}-${version}-${release}`;
        const importSeed = `${seed}/import/${advisoryId}/${record.major}/${nevra}`;
        const isImported = isMainStream && hashToUnit(`${importSeed}/never`) >= neverImportedShare;
        packages.push({
          advisoryId,
          major: record.major,
          streams: item.streams ?? [],
          isMainStream,
          name: item.name,
          epoch: 0,
          version,
          release,
          nevra,
          nvr,
          releasedAt,
          tag: isMainStream ? `imports/c${record.major}/${nvr}` : null,
          importAt: isImported ? new Date(releasedAt.getTime() + computeImportDelayMs(importSeed)) : null,
        });
      }
    }
  });

  return {
    // The replicas' timeline type names its one scenario; none of them reads the field.
    timeline: { scenario: "june-2023", cutoff: null, resumeAt: null, releases, packages },
    advisoryCount: releases.length,
    packageCount: packages.length,
    nameCount: new Set(packages.map((pkg) => pkg.name)).size,
    firstReleaseAt: releases[0].releasedAt,
    lastReleaseAt: releases[releases.length - 1].releasedAt,
  };
}
