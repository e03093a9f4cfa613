import "server-only";

import { foldNewestBuilds, newestBuildKey, type BuildVersion } from "../../core/newest-builds";
import { formatNevra } from "../../core/nevra";
import type { Db } from "../db/client";

export { newestBuildKey };

/** Names per query: well under every driver's bound-parameter limit. */
const NAME_CHUNK = 500;
/**
 * Evidence rows after the mark that a read folds in itself. The worker keeps the mark at the last row (it moves in the
 * transaction that writes them), so this is 0 but for a database the worker has not caught up yet (just upgraded):
 * past it, the read takes every build of its names instead, as it did before NewestBuild.
 */
const UNFOLDED_LIMIT = 2_000;

export interface NewestBuild {
  nevra: string;
  url: string | null;
}

type Build = BuildVersion & { id: number; epoch: number | null; url: string | null };
const BUILD_SELECT = { id: true, name: true, major: true, epoch: true, version: true, release: true, url: true } as const;

/**
 * The newest build (RPM version order) of each of `names` that srcwatch found on one mirror, per major: one NewestBuild
 * row per name × major (by its key), folded with the mirror's Evidence written after the mark it accounts for.
 */
export async function readNewestBuilds(
  db: Db,
  input: { mirrorId: string; names: readonly string[]; major?: number },
): Promise<Map<string, NewestBuild>> {
  const names = [...new Set(input.names)].filter(Boolean);
  if (names.length === 0) return new Map();
  const wanted = new Set(names);
  const majorFilter = input.major === undefined ? {} : { major: input.major };
  const state = await db.sourceState.findUnique({ where: { sourceId: input.mirrorId }, select: { newestBuildsThrough: true } });
  // Read the rows after the mark before the stored newest: a catch-up committed in between moves rows from one to the
  // other, and each read then holds them at least once (folding twice changes nothing).
  const unfolded = await db.evidence.findMany({
    where: { mirrorId: input.mirrorId, id: { gt: state?.newestBuildsThrough ?? 0 }, ...majorFilter },
    orderBy: { id: "asc" },
    take: UNFOLDED_LIMIT + 1,
    select: BUILD_SELECT,
  });
  const newest = new Map<string, Build>();
  for (let index = 0; index < names.length; index += NAME_CHUNK) {
    const chunk = names.slice(index, index + NAME_CHUNK);
    if (unfolded.length > UNFOLDED_LIMIT) {
      const builds = await db.evidence.findMany({
        where: { mirrorId: input.mirrorId, name: { in: chunk }, ...majorFilter },
        orderBy: { id: "asc" },
        select: BUILD_SELECT,
      });
      foldNewestBuilds(newest, builds);
    } else {
      const stored = await db.newestBuild.findMany({
        where: { mirrorId: input.mirrorId, name: { in: chunk }, ...majorFilter },
        select: { evidence: { select: BUILD_SELECT } },
      });
      foldNewestBuilds(
        newest,
        stored.map((row) => row.evidence),
      );
    }
  }
  if (unfolded.length <= UNFOLDED_LIMIT)
    foldNewestBuilds(
      newest,
      unfolded.filter((build) => wanted.has(build.name)),
    );
  return new Map([...newest].map(([key, build]) => [key, { nevra: formatNevra(build), url: build.url }]));
}
