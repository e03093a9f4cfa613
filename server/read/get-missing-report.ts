import "server-only";

import { formatNevra } from "../../core/nevra";
import { Prisma } from "../../prisma/generated/sqlite/client";
import { getConfig } from "../config/get-config";
import { getDb } from "../db/client";
import { BadRequestError } from "../errors";
import {
  MISSING_REPORT_STATUSES,
  type AvailableSource,
  type MissingReportFilters,
  type MissingReportResponse,
  type MissingReportRow,
} from "../../contract/missing-report-dto";
import { combinePublishedLags, readStoredLag } from "./read-verdict-times";
import { toAdvisoryReference } from "./to-advisory-dto";

const DAY_MS = 24 * 60 * 60 * 1000;

function buildReportWhere(filters: MissingReportFilters): Prisma.Sql {
  const conditions = [Prisma.sql`v."status" IN (${Prisma.join([...MISSING_REPORT_STATUSES])})`];
  if (filters.mirror) conditions.push(Prisma.sql`v."mirrorId" IN (${Prisma.join(filters.mirror)})`);
  if (filters.major) conditions.push(Prisma.sql`p."major" IN (${Prisma.join(filters.major)})`);
  if (filters.from) conditions.push(Prisma.sql`a."issuedAt" >= ${new Date(`${filters.from}T00:00:00Z`)}`);
  if (filters.to) conditions.push(Prisma.sql`a."issuedAt" < ${new Date(new Date(`${filters.to}T00:00:00Z`).getTime() + DAY_MS)}`);
  if (filters.severity) conditions.push(Prisma.sql`a."severity" IN (${Prisma.join(filters.severity)})`);
  if (filters.type) conditions.push(Prisma.sql`a."type" IN (${Prisma.join(filters.type)})`);
  return Prisma.join(conditions, " AND ");
}

/**
 * Every advisory × mirror whose packages are delayed or missing there, oldest first, with where else
 * the same packages are published. Grouping and counting happen in the database (Verdict(mirrorId, status)).
 */
export async function getMissingReport(
  query: MissingReportFilters & { page: number; pageSize: number },
  input: { now: Date },
): Promise<MissingReportResponse> {
  if (query.from && query.to && query.from > query.to) {
    throw new BadRequestError(`"from" (${query.from}) is after "to" (${query.to})`, [
      { parameter: "from", message: "must not be after to" },
    ]);
  }
  const db = getDb();
  const where = buildReportWhere(query);
  const scope = Prisma.sql`FROM "Verdict" v JOIN "Package" p ON p."id" = v."packageId" JOIN "Advisory" a ON a."id" = p."advisoryId" WHERE ${where}`;
  const [countRows, groups] = await Promise.all([
    db.$queryRaw<
      { total: number | bigint }[]
    >`SELECT COUNT(*) AS "total" FROM (SELECT p."advisoryId", v."mirrorId" ${scope} GROUP BY p."advisoryId", v."mirrorId") t`,
    db.$queryRaw<{ advisoryId: string; mirrorId: string }[]>`
      SELECT p."advisoryId" AS "advisoryId", v."mirrorId" AS "mirrorId" ${scope}
      GROUP BY p."advisoryId", v."mirrorId"
      ORDER BY MIN(a."issuedAt") ASC, p."advisoryId" ASC, v."mirrorId" ASC
      LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`,
  ]);
  const total = Number(countRows[0]?.total ?? 0);
  const filters: MissingReportFilters = {
    mirror: query.mirror,
    major: query.major,
    from: query.from,
    to: query.to,
    severity: query.severity,
    type: query.type,
  };
  const base = { now: input.now.toISOString(), filters, total, page: query.page, pageSize: query.pageSize };
  if (groups.length === 0) return { ...base, rows: [] };

  const advisoryIds = [...new Set(groups.map((group) => group.advisoryId))];
  const mirrorIds = [...new Set(groups.map((group) => group.mirrorId))];
  const [verdicts, advisories] = await Promise.all([
    db.verdict.findMany({
      where: {
        status: { in: [...MISSING_REPORT_STATUSES] },
        mirrorId: { in: mirrorIds },
        package: { advisoryId: { in: advisoryIds }, ...(query.major ? { major: { in: query.major } } : {}) },
      },
      select: {
        packageId: true,
        mirrorId: true,
        status: true,
        since: true,
        package: { select: { advisoryId: true, name: true, epoch: true, version: true, release: true, major: true } },
      },
      orderBy: [{ package: { major: "asc" } }, { package: { name: "asc" } }],
    }),
    db.advisory.findMany({
      where: { id: { in: advisoryIds } },
      select: { id: true, type: true, severity: true, title: true, issuedAt: true },
    }),
  ]);
  const published = await db.verdict.findMany({
    where: { packageId: { in: [...new Set(verdicts.map((verdict) => verdict.packageId))] }, status: "published" },
    select: {
      packageId: true,
      mirrorId: true,
      lagSeconds: true,
      lagTimeOrigin: true,
      evidence: { select: { url: true, firstSeenAt: true, lastAbsentAt: true } },
      lagEvidence: { select: { firstSeenAt: true, lastAbsentAt: true } },
    },
  });

  const mirrors = getConfig().mirrors;
  const mirrorById = new Map(mirrors.map((mirror) => [mirror.id, mirror]));
  const advisoryById = new Map(advisories.map((advisory) => [advisory.id, advisory]));
  const publishedByPackage = new Map<number, typeof published>();
  for (const verdict of published)
    publishedByPackage.set(verdict.packageId, [...(publishedByPackage.get(verdict.packageId) ?? []), verdict]);

  const rows = groups.flatMap((group): MissingReportRow[] => {
    const advisory = advisoryById.get(group.advisoryId);
    const own = verdicts.filter((verdict) => verdict.package.advisoryId === group.advisoryId && verdict.mirrorId === group.mirrorId);
    if (!advisory || own.length === 0) return [];
    const availableFrom: AvailableSource[] = mirrors.flatMap((mirror) => {
      if (mirror.id === group.mirrorId) return [];
      const found = own.flatMap((verdict) =>
        (publishedByPackage.get(verdict.packageId) ?? []).filter((entry) => entry.mirrorId === mirror.id),
      );
      if (found.length === 0) return [];
      const lag = combinePublishedLags(found.map(readStoredLag));
      return [
        {
          mirrorId: mirror.id,
          mirrorName: mirror.name,
          relation: mirror.relation,
          publishedPackages: new Set(found.map((entry) => entry.packageId)).size,
          evidenceUrl: found.find((entry) => entry.evidence?.url)?.evidence?.url ?? "",
          lagSeconds: lag?.lagSeconds ?? null,
          lagTimeOrigin: lag?.lagTimeOrigin ?? null,
          lagPrecisionSeconds: lag?.lagPrecisionSeconds ?? null,
        },
      ];
    });
    return [
      {
        ...toAdvisoryReference(advisory),
        ageSeconds: Math.max(0, Math.round((input.now.getTime() - advisory.issuedAt.getTime()) / 1000)),
        mirrorId: group.mirrorId,
        mirrorName: mirrorById.get(group.mirrorId)?.name ?? group.mirrorId,
        status: own.some((verdict) => verdict.status === "missing") ? "missing" : "delayed",
        since: new Date(Math.min(...own.map((verdict) => verdict.since.getTime()))).toISOString(),
        majors: [...new Set(own.map((verdict) => verdict.package.major))].sort((a, b) => a - b),
        packages: [...new Set(own.map((verdict) => formatNevra(verdict.package)))],
        availableFrom,
      },
    ];
  });
  return { ...base, rows };
}
