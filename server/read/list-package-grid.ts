import "server-only";

import { formatNevra } from "../../core/nevra";
import { Prisma } from "../../prisma/generated/sqlite/client";
import { getConfig } from "../config/get-config";
import { getDb } from "../db/client";
import type { VerdictStatus } from "../../core/types";
import type { PackageGridQuery, PackageGridResponse, PackageGridRow } from "../../contract/package-grid-dto";
import { newestBuildKey, readNewestBuilds } from "./read-newest-builds";

/** `%` and `_` are LIKE wildcards; a name filter means the text itself. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/**
 * Package × mirror for one major, a keyset page of package names at a time: the walk of Package's (name, major) index
 * from `after` stops at the page's last name (n/a-only names are skipped on the way, a verdict seek each), so a page
 * costs its names, never the catalogue. Then, for those names only: their newest update (release order), its verdict
 * per mirror, and the newest build found on each mirror.
 */
export async function listPackageGrid(query: PackageGridQuery, input: { now: Date }): Promise<PackageGridResponse> {
  const config = getConfig();
  const db = getDb();
  const majors = [...new Set(config.mirrors.flatMap((mirror) => mirror.majors))].sort((a, b) => a - b);
  const major = query.major ?? majors[majors.length - 1] ?? 9;
  const mirrors = config.mirrors.filter((mirror) => mirror.majors.includes(major)).map((mirror) => ({ id: mirror.id, name: mirror.name }));
  const nameRows = await db.$queryRaw<{ name: string }[]>`
    SELECT p."name" AS "name" FROM "Package" p
    WHERE p."major" = ${major}
      AND ${query.after ? Prisma.sql`p."name" > ${query.after}` : Prisma.sql`1 = 1`}
      AND ${query.q ? Prisma.sql`p."name" LIKE ${`%${escapeLike(query.q)}%`} ESCAPE '\\'` : Prisma.sql`1 = 1`}
      AND ${
        query.notApplicable === "hide"
          ? Prisma.sql`EXISTS (SELECT 1 FROM "Verdict" v WHERE v."packageId" = p."id" AND v."status" <> 'not_applicable')`
          : Prisma.sql`1 = 1`
      }
    GROUP BY p."name"
    ORDER BY p."name" ASC
    LIMIT ${query.pageSize + 1}`;
  const names = nameRows.slice(0, query.pageSize).map((row) => row.name);
  const nextAfter = nameRows.length > query.pageSize ? names[names.length - 1] : null;

  const packages =
    names.length === 0
      ? []
      : await db.package.findMany({
          where: { name: { in: names }, major },
          select: {
            id: true,
            name: true,
            epoch: true,
            version: true,
            release: true,
            advisory: { select: { id: true, issuedAt: true, severity: true } },
          },
        });
  // The newest update of each name: the latest release, the advisory id breaking ties.
  const newestByName = new Map<string, (typeof packages)[number]>();
  for (const pkg of packages) {
    const current = newestByName.get(pkg.name);
    const isNewer =
      !current ||
      pkg.advisory.issuedAt.getTime() > current.advisory.issuedAt.getTime() ||
      (pkg.advisory.issuedAt.getTime() === current.advisory.issuedAt.getTime() && pkg.advisory.id > current.advisory.id);
    if (isNewer) newestByName.set(pkg.name, pkg);
  }
  const newestIds = [...newestByName.values()].map((pkg) => pkg.id);
  const [verdicts, builds] = await Promise.all([
    newestIds.length === 0
      ? []
      : db.verdict.findMany({ where: { packageId: { in: newestIds } }, select: { packageId: true, mirrorId: true, status: true } }),
    Promise.all(mirrors.map((mirror) => readNewestBuilds(db, { mirrorId: mirror.id, names, major }))),
  ]);
  const verdictOf = new Map(verdicts.map((verdict) => [`${verdict.packageId}/${verdict.mirrorId}`, verdict.status as VerdictStatus]));
  const rows: PackageGridRow[] = names.flatMap((name) => {
    const newest = newestByName.get(name);
    if (!newest) return [];
    return [
      {
        name,
        newest: {
          advisoryId: newest.advisory.id,
          issuedAt: newest.advisory.issuedAt.toISOString(),
          severity: newest.advisory.severity,
          nevra: formatNevra(newest),
        },
        cells: mirrors.map((mirror, index) => ({
          mirrorId: mirror.id,
          verdict: verdictOf.get(`${newest.id}/${mirror.id}`) ?? null,
          newestFound: builds[index].get(newestBuildKey(name, major)) ?? null,
        })),
      },
    ];
  });
  return {
    now: input.now.toISOString(),
    major,
    majors,
    mirrors,
    notApplicable: query.notApplicable,
    q: query.q ?? null,
    rows,
    nextAfter,
  };
}
