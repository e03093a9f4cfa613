import { compareEvr, type Evr } from "./rpm-version";

/** A build as "newest found there" compares it: its name and RHEL major, and its version in RPM order. */
export interface BuildVersion extends Evr {
  name: string;
  major: number;
}

export const newestBuildKey = (name: string, major: number) => `${name}\u0000${major}`;

/**
 * Folds builds into the newest per name × major (RPM version order), in place. Only a strictly newer build replaces
 * the one held, so among equal versions the first folded stays: fold in Evidence id order and the earliest row wins,
 * whichever way the builds arrive (all at once, or a stored newest and then the rows after it).
 * Returns the keys whose newest changed.
 */
export function foldNewestBuilds<T extends BuildVersion>(newest: Map<string, T>, builds: Iterable<T>): Set<string> {
  const changed = new Set<string>();
  for (const build of builds) {
    const key = newestBuildKey(build.name, build.major);
    const current = newest.get(key);
    if (current && compareEvr(build, current) <= 0) continue;
    newest.set(key, build);
    changed.add(key);
  }
  return changed;
}
