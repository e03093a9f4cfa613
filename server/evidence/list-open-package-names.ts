import "server-only";

import type { Db } from "../db/client";
import { whereOpenVerdict } from "../verdicts/open-verdicts";

/**
 * Packages this mirror still has to show — open or not yet evaluated verdicts — by name and major (never a crawl of
 * every repository). `withBeforeTrackedFrom`: also those judged released before the mirror began, while it may still
 * be importing them (server/verdicts/open-verdicts.ts).
 */
export async function listOpenPackageNames(
  db: Db,
  mirrorId: string,
  options: { withBeforeTrackedFrom?: boolean } = {},
): Promise<Map<string, Set<number>>> {
  const [open, unevaluated] = await Promise.all([
    db.verdict.findMany({
      where: { mirrorId, ...whereOpenVerdict(options.withBeforeTrackedFrom ?? false) },
      select: { package: { select: { name: true, major: true } } },
    }),
    db.package.findMany({ where: { verdicts: { none: { mirrorId } } }, select: { name: true, major: true } }),
  ]);
  const byName = new Map<string, Set<number>>();
  for (const pkg of [...open.map((row) => row.package), ...unevaluated]) {
    const majors = byName.get(pkg.name) ?? new Set<number>();
    majors.add(pkg.major);
    byName.set(pkg.name, majors);
  }
  return byName;
}
