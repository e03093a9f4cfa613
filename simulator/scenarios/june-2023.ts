import { createHash } from "node:crypto";
import { loadScenarioAdvisories, type ScenarioAdvisory } from "../load-scenario-advisories";

export const JUNE_2023_DEFAULT_CUTOFF = "2023-06-14T00:00:00Z";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const LATE_IMPORT_SHARE = 0.05;
/** A backlog imported on resumption lands within this long after `resumeAt`. */
const BACKLOG_SPREAD_MS = 20 * 60_000;

/** One advisory id as published upstream: one CSAF document, possibly covering both majors. */
export interface ScenarioRelease {
  advisoryId: string;
  releasedAt: Date;
  /** One record per RHEL major the advisory shipped to. */
  records: ScenarioAdvisory[];
}

/** A source RPM shipped by an advisory, and when (if ever) git.centos.org imports it. */
export interface ScenarioPackageRelease {
  advisoryId: string;
  major: number;
  /** e.g. ["main"], ["EUS 8.6"], ["AUS 8.2", "E4S 8.2", "TUS 8.2"] */
  streams: string[];
  isMainStream: boolean;
  name: string;
  epoch: number;
  version: string;
  release: string;
  /** `name-epoch:version-release`, e.g. "openssl-1:3.0.7-16.el9_2" */
  nevra: string;
  /** `name-version-release`, e.g. "openssl-3.0.7-16.el9_2" */
  nvr: string;
  releasedAt: Date;
  /** `imports/c<major>/<nvr>` for main-stream packages, null for packages git.centos.org never carries. */
  tag: string | null;
  importAt: Date | null;
}

export interface ScenarioTimeline {
  scenario: "june-2023";
  cutoff: Date | null;
  /** When git.centos.org imports again (the backlog first); null = never. */
  resumeAt: Date | null;
  /** Sorted by releasedAt, then id. */
  releases: ScenarioRelease[];
  /** Every source RPM with a full NEVRA (module builds and version-less kpatch-patch entries have none). */
  packages: ScenarioPackageRelease[];
}

/** A deterministic number in [0, 1) from a seed: the same scenario on every machine and run. */
export function hashToUnit(seed: string): number {
  return createHash("sha256").update(seed).digest().readUInt32BE(0) / 2 ** 32;
}

/** Red Hat's data has day precision: give each advisory a stable time of day between 08:00 and 20:00 UTC. */
export function computeReleaseInstant(advisoryId: string, releasedDay: string): Date {
  const dayStartMs = Date.parse(releasedDay);
  const secondsIntoWindow = Math.floor(hashToUnit(`release/${advisoryId}`) * 12 * 3600);
  return new Date(dayStartMs + 8 * HOUR_MS + secondsIntoWindow * 1000);
}

/** Usually 1–8 h after release; about 5 % arrive 2–6 days late. Whole seconds. */
export function computeImportDelayMs(seed: string): number {
  const spread = hashToUnit(`${seed}/spread`);
  const delayMs = hashToUnit(seed) < LATE_IMPORT_SHARE ? 2 * DAY_MS + spread * 4 * DAY_MS : HOUR_MS + spread * 7 * HOUR_MS;
  return Math.floor(delayMs / 1000) * 1000;
}

/** The backlog's import time: within BACKLOG_SPREAD_MS after resumption, whole seconds. */
export function computeBacklogImportAt(resumeAt: Date, seed: string): Date {
  return new Date(resumeAt.getTime() + Math.floor((hashToUnit(`backlog/${seed}`) * BACKLOG_SPREAD_MS) / 1000) * 1000);
}

/**
 * The June 2023 story: git.centos.org imports the sources of every main-stream RHEL 8 and 9 update a few
 * hours after release, until Red Hat stops publishing there (`cutoff`); from then on nothing new appears.
 * The "resume" variant (`resumeAt`) imports again: what was due in between arrives as a backlog just after
 * `resumeAt`, later updates as usual.
 */
export function createJune2023Timeline(options: { cutoff?: string | Date | null; resumeAt?: string | Date | null } = {}): ScenarioTimeline {
  const cutoffOption = options.cutoff === undefined ? JUNE_2023_DEFAULT_CUTOFF : options.cutoff;
  const cutoff = cutoffOption === null ? null : new Date(cutoffOption);
  if (cutoff && Number.isNaN(cutoff.getTime())) throw new RangeError(`invalid cutoff: ${String(cutoffOption)}`);
  const resumeAt = options.resumeAt === undefined || options.resumeAt === null ? null : new Date(options.resumeAt);
  if (resumeAt && Number.isNaN(resumeAt.getTime())) throw new RangeError(`invalid resumeAt: ${String(options.resumeAt)}`);
  if (resumeAt && (!cutoff || resumeAt.getTime() <= cutoff.getTime())) throw new RangeError("resumeAt needs a cutoff before it");

  const recordsById = new Map<string, ScenarioAdvisory[]>();
  for (const record of loadScenarioAdvisories()) {
    const records = recordsById.get(record.id) ?? [];
    records.push(record);
    recordsById.set(record.id, records);
  }

  const releases: ScenarioRelease[] = [...recordsById].map(([advisoryId, records]) => ({
    advisoryId,
    releasedAt: computeReleaseInstant(advisoryId, records[0].releasedAt),
    records,
  }));
  releases.sort((a, b) => a.releasedAt.getTime() - b.releasedAt.getTime() || a.advisoryId.localeCompare(b.advisoryId));

  const packages: ScenarioPackageRelease[] = [];
  for (const { advisoryId, releasedAt, records } of releases) {
    for (const record of records) {
      for (const item of record.packages) {
        if (item.kind !== "rpm" || item.version === null || item.release === null) continue;
        const streams = item.streams ?? record.streams;
        const isMainStream = streams.includes("main");
        const epoch = Number(item.epoch ?? 0);
        const nevra = `${item.name}-${epoch}:${item.version}-${item.release}`;
        const nvr = `${item.name}-${item.version}-${item.release}`;
        let importAt: Date | null = null;
        if (isMainStream) {
          const seed = `import/${advisoryId}/${record.major}/${nevra}`;
          const candidate = new Date(releasedAt.getTime() + computeImportDelayMs(seed));
          if (!cutoff || candidate.getTime() < cutoff.getTime()) importAt = candidate;
          else if (resumeAt) importAt = candidate.getTime() < resumeAt.getTime() ? computeBacklogImportAt(resumeAt, seed) : candidate;
        }
        packages.push({
          advisoryId,
          major: record.major,
          streams,
          isMainStream,
          name: item.name,
          epoch,
          version: item.version,
          release: item.release,
          nevra,
          nvr,
          releasedAt,
          tag: isMainStream ? `imports/c${record.major}/${nvr}` : null,
          importAt,
        });
      }
    }
  }
  return { scenario: "june-2023", cutoff, resumeAt, releases, packages };
}
