import type { Nevra } from "./types";

export interface Nvr {
  name: string;
  version: string;
  release: string;
}

export interface ParsedNevra extends Nevra {
  /** `src`, `x86_64`, … when the text carried one. */
  arch: string | null;
}

const ARCHES = new Set([
  "src",
  "nosrc",
  "noarch",
  "x86_64",
  "i386",
  "i486",
  "i586",
  "i686",
  "athlon",
  "aarch64",
  "ppc",
  "ppc64",
  "ppc64le",
  "ppc64p7",
  "s390",
  "s390x",
  "armv7hl",
  "armhfp",
  "ia64",
  "riscv64",
  "loongarch64",
]);

const NAME = /^[A-Za-z0-9_.+][A-Za-z0-9_.+-]*$/;
const VERSION_OR_RELEASE = /^[A-Za-z0-9_.+~^]+$/;

/** `bash-4.4.20-4.el8_6` → name, version, release. The name may contain dashes: split on the last two. */
export function parseNvr(text: string): Nvr | null {
  const releaseDash = text.lastIndexOf("-");
  if (releaseDash <= 0) return null;
  const versionDash = text.lastIndexOf("-", releaseDash - 1);
  if (versionDash <= 0) return null;
  const nvr = { name: text.slice(0, versionDash), version: text.slice(versionDash + 1, releaseDash), release: text.slice(releaseDash + 1) };
  if (!NAME.test(nvr.name) || !VERSION_OR_RELEASE.test(nvr.version) || !VERSION_OR_RELEASE.test(nvr.release)) return null;
  return nvr;
}

/**
 * Accepts `name-[epoch:]version-release`, `epoch:name-version-release`, optionally followed by `.arch` or `.arch.rpm`
 * (arch only from the known list, so `.el9` is never taken for one).
 */
export function parseNevra(text: string): ParsedNevra | null {
  let rest = text.trim();
  let arch: string | null = null;
  const hasRpmSuffix = rest.endsWith(".rpm");
  if (hasRpmSuffix) rest = rest.slice(0, -".rpm".length);
  const lastDot = rest.lastIndexOf(".");
  if (lastDot > 0 && ARCHES.has(rest.slice(lastDot + 1))) {
    arch = rest.slice(lastDot + 1);
    rest = rest.slice(0, lastDot);
  } else if (hasRpmSuffix) {
    return null;
  }

  let epoch: number | null = null;
  const leadingEpoch = /^(\d+):(.*)$/.exec(rest);
  if (leadingEpoch) {
    epoch = Number(leadingEpoch[1]);
    rest = leadingEpoch[2];
  }
  const embeddedEpoch = /^(.+)-(\d+):([^-]+-[^-]+)$/.exec(rest);
  if (embeddedEpoch) {
    if (epoch !== null) return null;
    epoch = Number(embeddedEpoch[2]);
    rest = `${embeddedEpoch[1]}-${embeddedEpoch[3]}`;
  }
  if (rest.includes(":")) return null;
  const nvr = parseNvr(rest);
  if (!nvr) return null;
  return { ...nvr, epoch: epoch ?? 0, arch };
}

/** `bash-0:4.4.20-4.el8_6`: always with the epoch. */
/** `bash-0:4.4.20-4.el8_6`; without the epoch part when it is unknown (null). */
export function formatNevra(nevra: Omit<Nevra, "epoch"> & { epoch: number | null }): string {
  return nevra.epoch === null ? formatNvr(nevra) : `${nevra.name}-${nevra.epoch}:${nevra.version}-${nevra.release}`;
}

export function formatNvr(nvr: Nvr): string {
  return `${nvr.name}-${nvr.version}-${nvr.release}`;
}

interface DistTag {
  major: number;
  minor: number | null;
  isModule: boolean;
}

// `.el8`, `.el8_6`, `.el10_1`, `.module+el8.9.0+…` (AlmaLinux: `.module_el8.5.0+…`). A letter right after the
// major (`.el9ost`, `.el7a`) is another product's dist tag, not RHEL's.
const DIST_TAG = /(?:^|[.+_])(?:module[+_]el(\d+)\.(\d+)(?:\.\d+)?|el(\d+)(?:_(\d+))?)(?![0-9A-Za-z])/g;

function findDistTag(release: string): DistTag | null {
  let last: RegExpExecArray | null = null;
  for (const match of release.matchAll(DIST_TAG)) last = match;
  if (!last) return null;
  if (last[1] !== undefined) return { major: Number(last[1]), minor: Number(last[2]), isModule: true };
  return { major: Number(last[3]), minor: last[4] === undefined ? null : Number(last[4]), isModule: false };
}

/** RHEL major of a release's dist tag: `4.el8_6` → 8, `142.module+el8.9.0+21471+7d1e4a35` → 8; null without one. */
export function distMajor(release: string): number | null {
  return findDistTag(release)?.major ?? null;
}

/**
 * The dist stream a release belongs to: `el8`, `el8_6`, `module+el8.9`; null without a RHEL dist tag.
 * `.el8` (y-stream / GA) and `.el8_6` (z-stream of 8.6) are different streams: RHEL ships both at once.
 */
export function findDistStream(release: string): string | null {
  const tag = findDistTag(release);
  if (!tag) return null;
  if (tag.isModule) return `module+el${tag.major}.${tag.minor}`;
  return tag.minor === null ? `el${tag.major}` : `el${tag.major}_${tag.minor}`;
}

/** Two releases without any dist tag count as the same stream. */
export function sameStream(releaseA: string, releaseB: string): boolean {
  return findDistStream(releaseA) === findDistStream(releaseB);
}
