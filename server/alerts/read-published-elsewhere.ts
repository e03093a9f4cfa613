import "server-only";

import { publishedElsewhereKey, type CarriedAdvisory } from "../../core/alerts/evaluate-alert-rules";
import type { MirrorConfig } from "../../core/config";
import type { Db } from "../db/client";

/** Advisory ids per query: well under every driver's bound-parameter limit. */
const CHUNK = 500;

/**
 * For each update (advisory × major) the mirror has not published, the other configured mirrors that have, sorted by
 * name: what the alerts' items carry as `publishedOn` and the mail and the pages tell ("already published on …").
 * Reads the other mirrors' Updates by their primary key (mirrorId, advisoryId, major): the work grows with the
 * mirror's unpublished updates, which the rules read anyway, not with the database.
 */
export async function readPublishedElsewhere(
  db: Db,
  input: {
    mirrorId: string;
    mirrors: readonly Pick<MirrorConfig, "id" | "name">[];
    updatesByMajor: ReadonlyMap<number, readonly CarriedAdvisory[]>;
  },
): Promise<Map<string, { mirrorId: string; mirrorName: string }[]>> {
  const others = input.mirrors.filter((mirror) => mirror.id !== input.mirrorId);
  const nameOf = new Map(others.map((mirror) => [mirror.id, mirror.name]));
  const wanted = new Set<string>();
  const advisoryIds = new Set<string>();
  for (const [major, updates] of input.updatesByMajor) {
    for (const update of updates) {
      if (update.publishedAt !== null) continue;
      wanted.add(publishedElsewhereKey(update.advisoryId, major));
      advisoryIds.add(update.advisoryId);
    }
  }
  const result = new Map<string, { mirrorId: string; mirrorName: string }[]>();
  if (others.length === 0 || advisoryIds.size === 0) return result;
  const ids = [...advisoryIds];
  for (let index = 0; index < ids.length; index += CHUNK) {
    const rows = await db.mirrorUpdate.findMany({
      where: { mirrorId: { in: [...nameOf.keys()] }, advisoryId: { in: ids.slice(index, index + CHUNK) }, status: "published" },
      select: { mirrorId: true, advisoryId: true, major: true },
    });
    for (const row of rows) {
      const key = publishedElsewhereKey(row.advisoryId, row.major);
      if (!wanted.has(key)) continue;
      const list = result.get(key) ?? [];
      list.push({ mirrorId: row.mirrorId, mirrorName: nameOf.get(row.mirrorId)! });
      result.set(key, list);
    }
  }
  for (const list of result.values()) list.sort((a, b) => (a.mirrorName < b.mirrorName ? -1 : a.mirrorName > b.mirrorName ? 1 : 0));
  return result;
}
