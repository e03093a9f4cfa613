import { hashToUnit, type ScenarioPackageRelease, type ScenarioTimeline } from "./june-2023";

const HOUR_MS = 3_600_000;

export const MIRROR_PROFILES = ["almalinux", "rocky", "oracle", "centos-stream", "openela"] as const;
export type MirrorProfile = (typeof MIRROR_PROFILES)[number];

/** One build a mirror publishes in the scenario: the RHEL package it answers and the mirror's own NEVRA. */
export interface MirrorPublication {
  profile: MirrorProfile;
  /** The RHEL package this build rebuilds or relates to. */
  source: ScenarioPackageRelease;
  name: string;
  epoch: number;
  version: string;
  /** The mirror's release string, e.g. `1.el8_8.alma.1`, `65.0.1.el8_8`, `4.el9`. */
  release: string;
  nvr: string;
  major: number;
  publishedAt: Date;
  /** The mirror's erratum id when it publishes errata (ALSA-2023:3722, RLSA-2023:3722), else null. */
  erratumId: string | null;
}

/** A delay drawn from a skewed distribution: most within `medianHours`-ish, a long tail up to `maxHours`. */
function computeDelayMs(seed: string, medianHours: number, maxHours: number): number {
  const u = hashToUnit(seed);
  // Inverse of a log-logistic-like curve: u = 0.5 → median; u → 1 → the tail.
  const hours = Math.min(maxHours, medianHours * Math.pow(u / (1 - u), 0.9));
  return Math.max(0.5 * HOUR_MS, Math.round((hours * HOUR_MS) / 1000) * 1000);
}

/** Oracle's `.0.N` goes right before the dist tag: `65.el8_8` → `65.0.1.el8_8`. */
function insertBeforeDist(release: string, suffix: string): string {
  const match = /^(.*?)(\.(?:el|module[+_]el)\d.*)$/.exec(release);
  return match ? `${match[1]}${suffix}${match[2]}` : `${release}${suffix}`;
}

function erratumIdFor(prefix: string, advisoryId: string): string {
  return advisoryId.replace(/^RH[SBE]A/, (type) => `${prefix}${type.slice(2)}`);
}

/**
 * What each public place publishes in the june-2023 scenario, from the same real advisory stream:
 * AlmaLinux and Rocky publish errata hours to days later with a long tail; Oracle keeps publishing
 * SRPMs; CentOS Stream carries related builds (RHEL 9 only, often before RHEL); OpenELA starts
 * importing on 2023-07-10. Deterministic: the same on every machine and run.
 */
export function computeMirrorPublications(timeline: ScenarioTimeline, profile: MirrorProfile): MirrorPublication[] {
  const publications: MirrorPublication[] = [];
  for (const pkg of timeline.packages) {
    if (!pkg.isMainStream) continue;
    const seed = `${profile}/${pkg.advisoryId}/${pkg.major}/${pkg.nevra}`;
    const base = { profile, source: pkg, name: pkg.name, epoch: pkg.epoch, version: pkg.version, major: pkg.major };
    const at = (delayMs: number) => new Date(pkg.releasedAt.getTime() + delayMs);
    switch (profile) {
      case "almalinux": {
        const release = hashToUnit(`${seed}/changed`) < 0.06 ? `${pkg.release}.alma.1` : pkg.release;
        publications.push({
          ...base,
          release,
          nvr: `${pkg.name}-${pkg.version}-${release}`,
          publishedAt: at(computeDelayMs(seed, 40, 700)),
          erratumId: erratumIdFor("AL", pkg.advisoryId),
        });
        break;
      }
      case "rocky": {
        const release = hashToUnit(`${seed}/changed`) < 0.04 ? `${pkg.release}.rocky.0.1` : pkg.release;
        publications.push({
          ...base,
          release,
          nvr: `${pkg.name}-${pkg.version}-${release}`,
          publishedAt: at(computeDelayMs(seed, 30, 500)),
          erratumId: erratumIdFor("RL", pkg.advisoryId),
        });
        break;
      }
      case "oracle": {
        const release = hashToUnit(`${seed}/changed`) < 0.1 ? insertBeforeDist(pkg.release, ".0.1") : pkg.release;
        publications.push({
          ...base,
          release,
          nvr: `${pkg.name}-${pkg.version}-${release}`,
          publishedAt: at(computeDelayMs(seed, 18, 120)),
          erratumId: null,
        });
        break;
      }
      case "centos-stream": {
        if (pkg.major !== 9) break;
        // Stream builds carry plain .el9: a GA build is identical and usually lands before RHEL;
        // a z-stream build (.el9_2.1) has a related, newer Stream build instead.
        const isZStream = /\.el9_\d+/.test(pkg.release);
        const release = isZStream
          ? pkg.release.replace(/\.el9_\d+(\.\d+)*$/, ".el9").replace(/^(\d+)/, (n) => String(Number(n) + 1))
          : pkg.release;
        const offsetMs = isZStream ? computeDelayMs(seed, 72, 400) : -computeDelayMs(seed, 240, 900);
        publications.push({ ...base, release, nvr: `${pkg.name}-${pkg.version}-${release}`, publishedAt: at(offsetMs), erratumId: null });
        break;
      }
      case "openela": {
        const start = Date.parse("2023-07-10T00:00:00Z") + computeDelayMs(`${seed}/backfill`, 24, 72);
        const publishedAt = new Date(Math.max(start, pkg.releasedAt.getTime() + computeDelayMs(seed, 6, 48)));
        publications.push({ ...base, release: pkg.release, nvr: pkg.nvr, publishedAt, erratumId: null });
        break;
      }
    }
  }
  return publications.sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime());
}
