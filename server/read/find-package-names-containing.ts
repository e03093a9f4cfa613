import "server-only";

import { getDb } from "../db/client";

/**
 * `%` and `_` are LIKE wildcards and `\` PostgreSQL's LIKE escape; Prisma's `contains` passes them through
 * unescaped, and SQLite's LIKE has no escape character at all, so user text holding one never goes into `contains`.
 */
const LIKE_SPECIAL = /[%_\\]/;

export function hasLikeSpecialCharacter(text: string): boolean {
  return LIKE_SPECIAL.test(text);
}

// What an RPM name is made of: text holding anything else (`%`, `\`, a space) is part of no package name.
const PACKAGE_NAME_TEXT = /^[A-Za-z0-9._+-]+$/;

export function canBePartOfPackageName(text: string): boolean {
  return PACKAGE_NAME_TEXT.test(text);
}

/**
 * A Package `where` that finds at least every name containing `text` literally: `contains` on the longest run of
 * the text free of LIKE specials (all names when there is none). Narrow the result with `isPackageNameMatch`.
 */
export function buildPackageNamePrefilter(text: string): { OR: { name: { contains: string } }[] } | Record<string, never> {
  const longestRun = text.split(LIKE_SPECIAL).reduce((longest, run) => (run.length > longest.length ? run : longest), "");
  if (!longestRun) return {};
  // SQLite's LIKE ignores ASCII case; PostgreSQL's does not, hence the lower-case variant.
  return { OR: [{ name: { contains: longestRun.toLowerCase() } }, { name: { contains: longestRun } }] };
}

/** The literal test that `contains` only approximates (ignoring case, as SQLite's LIKE does). */
export function isPackageNameMatch(name: string, text: string): boolean {
  return name.toLowerCase().includes(text.toLowerCase());
}

/** Every distinct package name that contains `text` literally. */
export async function findPackageNamesContaining(text: string): Promise<string[]> {
  if (!canBePartOfPackageName(text)) return [];
  const candidates = await getDb().package.findMany({ where: buildPackageNamePrefilter(text), select: { name: true }, distinct: ["name"] });
  return candidates.map((candidate) => candidate.name).filter((name) => isPackageNameMatch(name, text));
}
