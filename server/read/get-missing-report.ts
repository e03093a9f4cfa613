import "server-only";

import { formatNevra } from "../../core/nevra";
import { Prisma } from "../../prisma/generated/sqlite/client";
import { getConfig } from "../config/get-config";
import { getDb, type Db } from "../db/client";
import { toDate, type RawInstant } from "../db/raw-instant";
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
/** Advisories per batch of an export: bounds the memory of one step (their rows), whatever the report's size. */
const EXPORT_BATCH_ADVISORIES = 500;

/** An advisory's place in the report's order: issuedAt, then id. */
interface AdvisoryKey {
  advisoryId: string;
  issuedAt: Date;
}

/** A report row's place in the report's order: its advisory's, then the mirror id. */
interface RowKey extends AdvisoryKey {
  mirrorId: string;
}

interface VerdictDetailRow {
  advisoryId: string;
  type: string;
  severity: string | null;
  title: string | null;
  issuedAt: RawInstant;
  packageId: number | bigint;
  name: string;
  epoch: number | bigint;
  version: string;
  release: string;
  major: number | bigint;
  mirrorId: string;
  status: string;
  since: RawInstant;
  lagSeconds: number | bigint | null;
  lagTimeOrigin: string | null;
  evidenceId: number | bigint | null;
  evidenceUrl: string | null;
  evidenceFirstSeenAt: RawInstant | null;
  evidenceLastAbsentAt: RawInstant | null;
  lagEvidenceId: number | bigint | null;
  lagEvidenceFirstSeenAt: RawInstant | null;
  lagEvidenceLastAbsentAt: RawInstant | null;
}

const OPEN_STATUSES = Prisma.join([...MISSING_REPORT_STATUSES]);

function checkFilters(filters: MissingReportFilters): void {
  if (filters.from && filters.to && filters.from > filters.to) {
    throw new BadRequestError(`"from" (${filters.from}) is after "to" (${filters.to})`, [
      { parameter: "from", message: "must not be after to" },
    ]);
  }
}

/** The release-date filters on a column holding the advisory's release (Advisory.issuedAt, or MirrorUpdate's copy). */
function buildIssuedWhere(filters: MissingReportFilters, column: Prisma.Sql): Prisma.Sql {
  const conditions = [Prisma.sql`1 = 1`];
  if (filters.from) conditions.push(Prisma.sql`${column} >= ${new Date(`${filters.from}T00:00:00Z`)}`);
  if (filters.to) conditions.push(Prisma.sql`${column} < ${new Date(new Date(`${filters.to}T00:00:00Z`).getTime() + DAY_MS)}`);
  return Prisma.join(conditions, " AND ");
}

/** The filters on the advisory `a`. */
function buildAdvisoryWhere(filters: MissingReportFilters): Prisma.Sql {
  const conditions = [buildIssuedWhere(filters, Prisma.sql`a."issuedAt"`)];
  if (filters.severity) conditions.push(Prisma.sql`a."severity" IN (${Prisma.join(filters.severity)})`);
  if (filters.type) conditions.push(Prisma.sql`a."type" IN (${Prisma.join(filters.type)})`);
  return Prisma.join(conditions, " AND ");
}

function buildMajorWhere(filters: MissingReportFilters): Prisma.Sql {
  return filters.major ? Prisma.sql`p."major" IN (${Prisma.join(filters.major)})` : Prisma.sql`1 = 1`;
}

function buildMirrorWhere(filters: MissingReportFilters, column: Prisma.Sql): Prisma.Sql {
  return filters.mirror ? Prisma.sql`${column} IN (${Prisma.join(filters.mirror)})` : Prisma.sql`1 = 1`;
}

/**
 * A page of the report's rows (advisory × mirror with a delayed or missing package there), in order. The CROSS JOINs
 * keep SQLite probing each advisory's packages by key (not every open verdict of the mirror); a deep page still reads the
 * advisories before it.
 */
async function listRowKeys(db: Db, filters: MissingReportFilters, page: { offset: number; limit: number }): Promise<RowKey[]> {
  const rows = await db.$queryRaw<{ advisoryId: string; issuedAt: RawInstant; mirrorId: string }[]>`
    SELECT a."id" AS "advisoryId", a."issuedAt" AS "issuedAt", m."id" AS "mirrorId"
    FROM "Advisory" a CROSS JOIN "Mirror" m
    WHERE ${buildAdvisoryWhere(filters)} AND ${buildMirrorWhere(filters, Prisma.sql`m."id"`)}
      AND EXISTS (
        SELECT 1 FROM "Package" p CROSS JOIN "Verdict" v
        WHERE p."advisoryId" = a."id" AND ${buildMajorWhere(filters)}
          AND v."packageId" = p."id" AND v."mirrorId" = m."id" AND v."status" IN (${OPEN_STATUSES}))
    ORDER BY a."issuedAt" ASC, a."id" ASC, m."id" ASC
    LIMIT ${page.limit} OFFSET ${page.offset}`;
  return rows.map((row) => ({ advisoryId: row.advisoryId, issuedAt: toDate(row.issuedAt), mirrorId: row.mirrorId }));
}

/** The next advisories in scope after `after` (keyset), whether or not they have a row: a range scan of Advisory(issuedAt). */
async function listAdvisoryKeys(db: Db, filters: MissingReportFilters, after: AdvisoryKey | null, limit: number): Promise<AdvisoryKey[]> {
  const afterWhere = after
    ? Prisma.sql`a."issuedAt" >= ${after.issuedAt} AND (a."issuedAt" > ${after.issuedAt} OR a."id" > ${after.advisoryId})`
    : Prisma.sql`1 = 1`;
  const rows = await db.$queryRaw<{ advisoryId: string; issuedAt: RawInstant }[]>`
    SELECT a."id" AS "advisoryId", a."issuedAt" AS "issuedAt" FROM "Advisory" a
    WHERE ${buildAdvisoryWhere(filters)} AND ${afterWhere}
    ORDER BY a."issuedAt" ASC, a."id" ASC
    LIMIT ${limit}`;
  return rows.map((row) => ({ advisoryId: row.advisoryId, issuedAt: toDate(row.issuedAt) }));
}

/**
 * Rows in scope, from the Updates: an advisory × mirror is a row when one of its Updates there (one per major) is
 * delayed or missing — the two worst statuses, so exactly when one of its packages is. An index range of
 * MirrorUpdate(mirrorId, status, issuedAt) per mirror, never the verdicts.
 */
async function countRows(db: Db, filters: MissingReportFilters): Promise<number> {
  const needsAdvisory = Boolean(filters.severity || filters.type);
  const [row] = await db.$queryRaw<{ total: number | bigint }[]>`
    SELECT COUNT(*) AS "total" FROM (
      SELECT DISTINCT u."advisoryId", u."mirrorId"
      FROM "Mirror" m CROSS JOIN "MirrorUpdate" u
        ${needsAdvisory ? Prisma.sql`JOIN "Advisory" a ON a."id" = u."advisoryId"` : Prisma.empty}
      WHERE u."mirrorId" = m."id" AND u."status" IN (${OPEN_STATUSES})
        AND ${buildMirrorWhere(filters, Prisma.sql`m."id"`)}
        AND ${filters.major ? Prisma.sql`u."major" IN (${Prisma.join(filters.major)})` : Prisma.sql`1 = 1`}
        AND ${buildIssuedWhere(filters, Prisma.sql`u."issuedAt"`)}
        AND ${needsAdvisory ? buildAdvisoryWhere(filters) : Prisma.sql`1 = 1`}
    ) t`;
  return Number(row?.total ?? 0);
}

/**
 * Every verdict that describes the rows of the advisories from `first` to `last` (in the report's order): the delayed and
 * missing ones, and the published ones of the same packages on other mirrors. Read by that key range, not by an id list;
 * in the report's order, each row's packages by major and name.
 */
async function listVerdictDetails(
  db: Db,
  filters: MissingReportFilters,
  { first, last }: { first: AdvisoryKey; last: AdvisoryKey },
): Promise<VerdictDetailRow[]> {
  return db.$queryRaw<VerdictDetailRow[]>`
    SELECT a."id" AS "advisoryId", a."type" AS "type", a."severity" AS "severity", a."title" AS "title", a."issuedAt" AS "issuedAt",
      p."id" AS "packageId", p."name" AS "name", p."epoch" AS "epoch", p."version" AS "version", p."release" AS "release",
      p."major" AS "major", v."mirrorId" AS "mirrorId", v."status" AS "status", v."since" AS "since",
      v."lagSeconds" AS "lagSeconds", v."lagTimeOrigin" AS "lagTimeOrigin",
      e."id" AS "evidenceId", e."url" AS "evidenceUrl", e."firstSeenAt" AS "evidenceFirstSeenAt", e."lastAbsentAt" AS "evidenceLastAbsentAt",
      le."id" AS "lagEvidenceId", le."firstSeenAt" AS "lagEvidenceFirstSeenAt", le."lastAbsentAt" AS "lagEvidenceLastAbsentAt"
    FROM "Advisory" a
      JOIN "Package" p ON p."advisoryId" = a."id"
      JOIN "Verdict" v ON v."packageId" = p."id"
      LEFT JOIN "Evidence" e ON e."id" = v."evidenceId"
      LEFT JOIN "Evidence" le ON le."id" = v."lagEvidenceId"
    WHERE a."issuedAt" >= ${first.issuedAt} AND a."issuedAt" <= ${last.issuedAt}
      AND (a."issuedAt" > ${first.issuedAt} OR a."id" >= ${first.advisoryId})
      AND (a."issuedAt" < ${last.issuedAt} OR a."id" <= ${last.advisoryId})
      AND ${buildAdvisoryWhere(filters)} AND ${buildMajorWhere(filters)}
      AND v."status" IN (${Prisma.join([...MISSING_REPORT_STATUSES, "published"])})
      AND EXISTS (
        SELECT 1 FROM "Verdict" o
        WHERE o."packageId" = p."id" AND o."status" IN (${OPEN_STATUSES}) AND ${buildMirrorWhere(filters, Prisma.sql`o."mirrorId"`)})
    ORDER BY a."issuedAt" ASC, a."id" ASC, v."mirrorId" ASC, p."major" ASC, p."name" ASC, p."id" ASC`;
}

function toLagBuild(id: number | bigint | null, firstSeenAt: RawInstant | null, lastAbsentAt: RawInstant | null) {
  if (id === null || firstSeenAt === null) return null;
  return { firstSeenAt: toDate(firstSeenAt), lastAbsentAt: lastAbsentAt === null ? null : toDate(lastAbsentAt) };
}

/** The rows of `keys`, in their order, with where else their packages are published. */
function buildRows(keys: readonly RowKey[], details: readonly VerdictDetailRow[], now: Date): MissingReportRow[] {
  const keyOf = (advisoryId: string, mirrorId: string) => `${advisoryId}\u0000${mirrorId}`;
  const wanted = new Set(keys.map((key) => keyOf(key.advisoryId, key.mirrorId)));
  const advisoryById = new Map<string, VerdictDetailRow>();
  const ownByKey = new Map<string, VerdictDetailRow[]>();
  const publishedByPackage = new Map<number, VerdictDetailRow[]>();
  for (const detail of details) {
    advisoryById.set(detail.advisoryId, detail);
    if (detail.status === "published") {
      const packageId = Number(detail.packageId);
      publishedByPackage.set(packageId, [...(publishedByPackage.get(packageId) ?? []), detail]);
      continue;
    }
    const key = keyOf(detail.advisoryId, detail.mirrorId);
    if (wanted.has(key)) ownByKey.set(key, [...(ownByKey.get(key) ?? []), detail]);
  }

  const mirrors = getConfig().mirrors;
  const mirrorById = new Map(mirrors.map((mirror) => [mirror.id, mirror]));
  return keys.flatMap((key): MissingReportRow[] => {
    const advisory = advisoryById.get(key.advisoryId);
    const own = ownByKey.get(keyOf(key.advisoryId, key.mirrorId)) ?? [];
    if (!advisory || own.length === 0) return [];
    const availableFrom: AvailableSource[] = mirrors.flatMap((mirror) => {
      if (mirror.id === key.mirrorId) return [];
      const found = own.flatMap((verdict) =>
        (publishedByPackage.get(Number(verdict.packageId)) ?? []).filter((entry) => entry.mirrorId === mirror.id),
      );
      if (found.length === 0) return [];
      const lag = combinePublishedLags(
        found.map((entry) =>
          readStoredLag({
            lagSeconds: entry.lagSeconds === null ? null : Number(entry.lagSeconds),
            lagTimeOrigin: entry.lagTimeOrigin,
            evidence: toLagBuild(entry.evidenceId, entry.evidenceFirstSeenAt, entry.evidenceLastAbsentAt),
            lagEvidence: toLagBuild(entry.lagEvidenceId, entry.lagEvidenceFirstSeenAt, entry.lagEvidenceLastAbsentAt),
          }),
        ),
      );
      return [
        {
          mirrorId: mirror.id,
          mirrorName: mirror.name,
          relation: mirror.relation,
          publishedPackages: new Set(found.map((entry) => Number(entry.packageId))).size,
          evidenceUrl: found.find((entry) => entry.evidenceUrl)?.evidenceUrl ?? "",
          lagSeconds: lag?.lagSeconds ?? null,
          lagTimeOrigin: lag?.lagTimeOrigin ?? null,
          lagPrecisionSeconds: lag?.lagPrecisionSeconds ?? null,
        },
      ];
    });
    const issuedAt = toDate(advisory.issuedAt);
    return [
      {
        ...toAdvisoryReference({
          id: advisory.advisoryId,
          type: advisory.type,
          severity: advisory.severity,
          title: advisory.title,
          issuedAt,
        }),
        ageSeconds: Math.max(0, Math.round((now.getTime() - issuedAt.getTime()) / 1000)),
        mirrorId: key.mirrorId,
        mirrorName: mirrorById.get(key.mirrorId)?.name ?? key.mirrorId,
        status: own.some((verdict) => verdict.status === "missing") ? "missing" : "delayed",
        since: new Date(Math.min(...own.map((verdict) => toDate(verdict.since).getTime()))).toISOString(),
        majors: [...new Set(own.map((verdict) => Number(verdict.major)))].sort((a, b) => a - b),
        packages: [
          ...new Set(
            own.map((verdict) =>
              formatNevra({ name: verdict.name, epoch: Number(verdict.epoch), version: verdict.version, release: verdict.release }),
            ),
          ),
        ],
        availableFrom,
      },
    ];
  });
}

/** The rows the details show, in their order: advisory × mirror with a delayed or missing verdict on a mirror in scope. */
function listRowKeysOf(details: readonly VerdictDetailRow[], filters: MissingReportFilters): RowKey[] {
  const keys = new Map<string, RowKey>();
  for (const detail of details) {
    if (detail.status === "published" || (filters.mirror && !filters.mirror.includes(detail.mirrorId))) continue;
    const key = `${detail.advisoryId}\u0000${detail.mirrorId}`;
    if (!keys.has(key)) keys.set(key, { advisoryId: detail.advisoryId, issuedAt: toDate(detail.issuedAt), mirrorId: detail.mirrorId });
  }
  return [...keys.values()];
}

/** Every advisory × mirror whose packages are delayed or missing there, oldest first, with where else the same packages are published. */
export async function getMissingReport(
  query: MissingReportFilters & { page: number; pageSize: number },
  input: { now: Date },
): Promise<MissingReportResponse> {
  checkFilters(query);
  const db = getDb();
  const [total, keys] = await Promise.all([
    countRows(db, query),
    listRowKeys(db, query, { offset: (query.page - 1) * query.pageSize, limit: query.pageSize }),
  ]);
  const filters: MissingReportFilters = {
    mirror: query.mirror,
    major: query.major,
    from: query.from,
    to: query.to,
    severity: query.severity,
    type: query.type,
  };
  const details = keys.length === 0 ? [] : await listVerdictDetails(db, query, { first: keys[0], last: keys[keys.length - 1] });
  const rows = buildRows(keys, details, input.now);
  return { now: input.now.toISOString(), filters, total, page: query.page, pageSize: query.pageSize, rows };
}

/**
 * The whole report in its order, the rows of a batch of advisories at a time (the CSV export): each batch continues
 * after the last advisory of the one before (keyset), so memory holds one batch whatever the report's size, and each
 * query reads a range of the issuedAt index. A row that changes while the export runs is read as it is at its batch.
 */
export async function* listMissingReportBatches(
  filters: MissingReportFilters,
  input: { now: Date; batchAdvisories?: number },
): AsyncGenerator<MissingReportRow[], void, undefined> {
  checkFilters(filters);
  const db = getDb();
  const limit = input.batchAdvisories ?? EXPORT_BATCH_ADVISORIES;
  for (let after: AdvisoryKey | null = null; ;) {
    const advisories = await listAdvisoryKeys(db, filters, after, limit);
    if (advisories.length === 0) return;
    after = advisories[advisories.length - 1];
    const details = await listVerdictDetails(db, filters, { first: advisories[0], last: after });
    yield buildRows(listRowKeysOf(details, filters), details, input.now);
    if (advisories.length < limit) return;
  }
}
