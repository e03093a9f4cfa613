import "server-only";

import { formatNevra } from "../../core/nevra";
import { compareEvr } from "../../core/rpm-version";
import type { Db } from "../db/client";

/** Names per query: well under every driver's bound-parameter limit. */
const NAME_CHUNK = 500;

export interface NewestBuild {
  nevra: string;
  url: string | null;
}

export const newestBuildKey = (name: string, major: number) => `${name}\u0000${major}`;

/**
 * The newest build (RPM version order) of each of `names` that srcwatch found on one mirror, per major: Evidence read
 * by its (mirrorId, name, major) index for these names only.
 */
export async function readNewestBuilds(
  db: Db,
  input: { mirrorId: string; names: readonly string[]; major?: number },
): Promise<Map<string, NewestBuild>> {
  const newest = new Map<string, { epoch: number | null; version: string; release: string; name: string; url: string | null }>();
  const names = [...new Set(input.names)].filter(Boolean);
  for (let index = 0; index < names.length; index += NAME_CHUNK) {
    const builds = await db.evidence.findMany({
      where: {
        mirrorId: input.mirrorId,
        name: { in: names.slice(index, index + NAME_CHUNK) },
        ...(input.major === undefined ? {} : { major: input.major }),
      },
      select: { name: true, major: true, epoch: true, version: true, release: true, url: true },
    });
    for (const build of builds) {
      const key = newestBuildKey(build.name, build.major);
      const current = newest.get(key);
      if (!current || compareEvr(build, current) > 0) newest.set(key, build);
    }
  }
  return new Map([...newest].map(([key, build]) => [key, { nevra: formatNevra(build), url: build.url }]));
}
