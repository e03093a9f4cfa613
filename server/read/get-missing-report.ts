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
import { describeExpectedSource } from "../../core/describe-expected-source";
import { newestBuildKey, readNewestBuilds, type NewestBuild } from "./read-newest-builds";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Rows per batch of an export: bounds the memory of one step, whatever the report's size. */
const EXPORT_BATCH_ROWS = 1000;

/** A report row's place in the report's order: its advisory's release, the advisory id, then the mirror id. */
interface RowKey {
  advisoryId: string;
  issuedAt: Date;
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
  moduleStream: string | null;
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

/** The filters on the advisory `a` (its release is filtered on the Update's copy). */
function buildAdvisoryWhere(filters: MissingReportFilters): Prisma.Sql {
  const conditions = [Prisma.sql`1 = 1`];
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
 * FROM and WHERE of the overdue Updates (`u`) in the filters' scope: a range of MirrorUpdate's index on
 * (overdueIssuedAt, advisoryId, mirrorId), or of (mirrorId, overdueIssuedAt, advisoryId) per mirror of a mirror filter —
 * in the report's order, so a page reads its rows and stops.
 */
function buildOverdueUpdatesScope(filters: MissingReportFilters): Prisma.Sql {
  const needsAdvisory = Boolean(filters.severity || filters.type);
  return Prisma.sql`
    FROM "MirrorUpdate" u
      ${needsAdvisory ? Prisma.sql`JOIN "Advisory" a ON a."id" = u."advisoryId"` : Prisma.empty}
    WHERE u."overdueIssuedAt" IS NOT NULL
      AND ${buildMirrorWhere(filters, Prisma.sql`u."mirrorId"`)}
      AND ${filters.major ? Prisma.sql`u."major" IN (${Prisma.join(filters.major)})` : Prisma.sql`1 = 1`}
      AND ${buildIssuedWhere(filters, Prisma.sql`u."overdueIssuedAt"`)}
      AND ${needsAdvisory ? buildAdvisoryWhere(filters) : Prisma.sql`1 = 1`}`;
}

/** An advisory × mirror is one row however many of its majors are overdue there; all share the advisory's release. */
const ROW_GROUP = Prisma.sql`GROUP BY u."overdueIssuedAt", u."advisoryId", u."mirrorId"`;

/** Which of the report's rows: those after `after` (keyset, the export) or after skipping `offset` (a page). */
interface RowWindow {
  after: RowKey | null;
  offset: number;
  limit: number;
}

/**
 * The report's rows in its order, from the Updates: an advisory × mirror is a row when one of its Updates there (one per
 * major) is overdue — delayed or missing, the two worst statuses, so exactly when one of its packages is. The index range
 * of the overdue Updates from the window's start, grouped in index order and cut at its limit: a page costs its offset
 * and its rows, never a sort of every overdue Update; a keyset window starts the range at its key.
 */
function buildRowKeysSql(filters: MissingReportFilters, window: RowWindow): Prisma.Sql {
  const after = window.after;
  return Prisma.sql`
    SELECT u."advisoryId" AS "advisoryId", u."overdueIssuedAt" AS "issuedAt", u."mirrorId" AS "mirrorId"
    ${buildOverdueUpdatesScope(filters)}
      AND ${
        after
          ? Prisma.sql`u."overdueIssuedAt" >= ${after.issuedAt} AND (u."overdueIssuedAt" > ${after.issuedAt}
              OR u."advisoryId" > ${after.advisoryId} OR (u."advisoryId" = ${after.advisoryId} AND u."mirrorId" > ${after.mirrorId}))`
          : Prisma.sql`1 = 1`
      }
    ${ROW_GROUP}
    ORDER BY u."overdueIssuedAt" ASC, u."advisoryId" ASC, u."mirrorId" ASC
    LIMIT ${window.limit} OFFSET ${window.offset}`;
}

async function listRowKeys(db: Db, filters: MissingReportFilters, window: RowWindow): Promise<RowKey[]> {
  const rows = await db.$queryRaw<{ advisoryId: string; issuedAt: RawInstant; mirrorId: string }[]>(buildRowKeysSql(filters, window));
  return rows.map((row) => ({ advisoryId: row.advisoryId, issuedAt: toDate(row.issuedAt), mirrorId: row.mirrorId }));
}

/**
 * How many rows the report has over all pages: the same index range as its pages, counted from the index alone. It grows
 * with the overdue Updates in scope (27,414 at 1.5M verdicts: 4 ms on SQLite), not with the database.
 */
async function countRows(db: Db, filters: MissingReportFilters): Promise<number> {
  const [row] = await db.$queryRaw<{ total: number | bigint }[]>`
    SELECT COUNT(*) AS "total" FROM (
      SELECT 1 AS "row"
      ${buildOverdueUpdatesScope(filters)}
      ${ROW_GROUP}
    ) t`;
  return Number(row?.total ?? 0);
}

/**
 * Every verdict that describes the rows `keys` (a page or a batch, in the report's order): their delayed and missing
 * packages (of a major in scope) on the row's mirror, and every delayed, missing or published verdict of those packages
 * (where else they are published). The rows are read again as the overdue Updates released between the first key and the
 * last — an index range as long as the batch, not a list of ids; rows of those instants outside `keys` are
 * left out by `buildRows`. Each package is read once, by key (the CROSS JOINs keep SQLite's join order: otherwise it scanned
 * every package, or every verdict in mirror order, against the rows). The verdict of a row's package on its mirror is a scalar
 * subquery on purpose: as a join, PostgreSQL without statistics yet (a fresh import) joined every open verdict to every
 * row by mirror first.
 */
async function listVerdictDetails(db: Db, filters: MissingReportFilters, keys: readonly RowKey[]): Promise<VerdictDetailRow[]> {
  return db.$queryRaw<VerdictDetailRow[]>`
    WITH "row" AS (
      SELECT DISTINCT u."advisoryId" AS "advisoryId", u."mirrorId" AS "mirrorId"
      ${buildOverdueUpdatesScope(filters)}
        AND u."overdueIssuedAt" >= ${keys[0].issuedAt} AND u."overdueIssuedAt" <= ${keys[keys.length - 1].issuedAt}),
    "rowPackage" AS (
      SELECT DISTINCT p."id" AS "packageId"
      FROM "row" r CROSS JOIN "Package" p
      WHERE p."advisoryId" = r."advisoryId" AND ${buildMajorWhere(filters)}
        AND (SELECT o."status" FROM "Verdict" o WHERE o."packageId" = p."id" AND o."mirrorId" = r."mirrorId") IN (${OPEN_STATUSES}))
    SELECT a."id" AS "advisoryId", a."type" AS "type", a."severity" AS "severity", a."title" AS "title", a."issuedAt" AS "issuedAt",
      p."id" AS "packageId", p."name" AS "name", p."epoch" AS "epoch", p."version" AS "version", p."release" AS "release",
      p."major" AS "major", p."moduleStream" AS "moduleStream", v."mirrorId" AS "mirrorId", v."status" AS "status", v."since" AS "since",
      v."lagSeconds" AS "lagSeconds", v."lagTimeOrigin" AS "lagTimeOrigin",
      e."id" AS "evidenceId", e."url" AS "evidenceUrl", e."firstSeenAt" AS "evidenceFirstSeenAt", e."lastAbsentAt" AS "evidenceLastAbsentAt",
      le."id" AS "lagEvidenceId", le."firstSeenAt" AS "lagEvidenceFirstSeenAt", le."lastAbsentAt" AS "lagEvidenceLastAbsentAt"
    FROM "rowPackage" rp CROSS JOIN "Package" p CROSS JOIN "Verdict" v
      JOIN "Advisory" a ON a."id" = p."advisoryId"
      LEFT JOIN "Evidence" e ON e."id" = v."evidenceId"
      LEFT JOIN "Evidence" le ON le."id" = v."lagEvidenceId"
    WHERE p."id" = rp."packageId" AND v."packageId" = p."id"
      AND v."status" IN (${Prisma.join([...MISSING_REPORT_STATUSES, "published"])})
    ORDER BY v."mirrorId" ASC, p."major" ASC, p."name" ASC, p."id" ASC`;
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
    const mirror = mirrorById.get(key.mirrorId);
    const ownByNevra = new Map(
      own.map((verdict) => [
        formatNevra({ name: verdict.name, epoch: Number(verdict.epoch), version: verdict.version, release: verdict.release }),
        verdict,
      ]),
    );
    const packages = [...ownByNevra.keys()];
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
        packages,
        checks: packages.map((nevra) => {
          const verdict = ownByNevra.get(nevra)!;
          const build = {
            name: verdict.name,
            version: verdict.version,
            release: verdict.release,
            major: Number(verdict.major),
            moduleStream: verdict.moduleStream,
          };
          const source = mirror ? describeExpectedSource(mirror, build) : { expected: nevra, checkedUrl: "" };
          return { package: nevra, name: build.name, major: build.major, ...source, lastCheckedAt: null, newestFound: null };
        }),
        availableFrom,
      },
    ];
  });
}

/** When srcwatch last asked the mirror about each of `names` (per major), by MirrorNameCheck's key, a chunk of names at a time. */
async function readNameChecks(db: Db, mirrorId: string, names: readonly string[]) {
  const checks: { name: string; major: number; lastCheckedAt: Date }[] = [];
  for (let index = 0; index < names.length; index += NAME_CHECK_CHUNK) {
    checks.push(
      ...(await db.mirrorNameCheck.findMany({
        where: { mirrorId, name: { in: names.slice(index, index + NAME_CHECK_CHUNK) } },
        select: { name: true, major: true, lastCheckedAt: true },
      })),
    );
  }
  return checks;
}

const NAME_CHECK_CHUNK = 500;

/**
 * Fills each row's checks with what the mirror shows for the package's name and major: when srcwatch last asked about it
 * (MirrorNameCheck for mirrors asked name by name, else the last full read of the mirror's listing) and the newest
 * build found there (Evidence, by RPM version order). Reads by index per mirror, for the names of these rows only: a
 * page or a batch costs its own rows.
 */
async function addMirrorChecks(db: Db, rows: MissingReportRow[]): Promise<void> {
  const namesByMirror = new Map<string, Set<string>>();
  for (const row of rows) {
    const names = namesByMirror.get(row.mirrorId) ?? new Set<string>();
    for (const check of row.checks) names.add(check.name);
    namesByMirror.set(row.mirrorId, names);
  }
  const keyOf = (mirrorId: string, name: string, major: number) => `${mirrorId}\u0000${newestBuildKey(name, major)}`;
  const checkedAt = new Map<string, Date>();
  const newest = new Map<string, NewestBuild>();
  const listedAt = new Map<string, Date | null>();
  for (const [mirrorId, nameSet] of namesByMirror) {
    const names = [...nameSet];
    const [state, checks, builds] = await Promise.all([
      db.sourceState.findUnique({ where: { sourceId: mirrorId }, select: { lastCheckedAllAt: true } }),
      readNameChecks(db, mirrorId, names),
      readNewestBuilds(db, { mirrorId, names }),
    ]);
    listedAt.set(mirrorId, state?.lastCheckedAllAt ?? null);
    for (const check of checks) checkedAt.set(keyOf(mirrorId, check.name, check.major), check.lastCheckedAt);
    for (const [key, build] of builds) newest.set(`${mirrorId}\u0000${key}`, build);
  }
  for (const row of rows) {
    row.checks = row.checks.map((check) => {
      const key = keyOf(row.mirrorId, check.name, check.major);
      const found = newest.get(key);
      const at = checkedAt.get(key) ?? listedAt.get(row.mirrorId) ?? null;
      return {
        ...check,
        lastCheckedAt: at?.toISOString() ?? null,
        newestFound: found ?? null,
      };
    });
  }
}

/** Every advisory × mirror whose packages are delayed or missing there, oldest first, with where else the same packages are published. */
export async function getMissingReport(
  query: MissingReportFilters & { page: number; pageSize: number },
  input: { now: Date },
): Promise<MissingReportResponse> {
  checkFilters(query);
  const db = getDb();
  const window: RowWindow = { after: null, offset: (query.page - 1) * query.pageSize, limit: query.pageSize };
  const [total, keys] = await Promise.all([countRows(db, query), listRowKeys(db, query, window)]);
  const filters: MissingReportFilters = {
    mirror: query.mirror,
    major: query.major,
    from: query.from,
    to: query.to,
    severity: query.severity,
    type: query.type,
  };
  const details = keys.length === 0 ? [] : await listVerdictDetails(db, query, keys);
  const rows = buildRows(keys, details, input.now);
  await addMirrorChecks(db, rows);
  return { now: input.now.toISOString(), filters, total, page: query.page, pageSize: query.pageSize, rows };
}

/**
 * The whole report in its order, a batch of rows at a time (the CSV export): each batch continues after the last row of
 * the one before (keyset), so memory holds one batch whatever the report's size, and each query reads the open Updates
 * from that row on. A row that changes while the export runs is read as it is at its batch.
 */
export async function* listMissingReportBatches(
  filters: MissingReportFilters,
  input: { now: Date; batchRows?: number },
): AsyncGenerator<MissingReportRow[], void, undefined> {
  checkFilters(filters);
  const db = getDb();
  const limit = input.batchRows ?? EXPORT_BATCH_ROWS;
  for (let after: RowKey | null = null; ;) {
    const window: RowWindow = { after, offset: 0, limit };
    const keys = await listRowKeys(db, filters, window);
    if (keys.length === 0) return;
    const details = await listVerdictDetails(db, filters, keys);
    const rows = buildRows(keys, details, input.now);
    await addMirrorChecks(db, rows);
    yield rows;
    if (keys.length < limit) return;
    after = keys[keys.length - 1];
  }
}
