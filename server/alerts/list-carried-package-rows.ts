import type { CarriedPackageRow } from "../../core/alerts/evaluate-alert-rules";
import type { MirrorConfig } from "../../core/config";
import { Prisma } from "../../prisma/generated/sqlite/client";
import type { Db } from "../db/client";
import { toDate, type RawInstant } from "../db/raw-instant";

const DAY_MS = 86_400_000;

interface RawCarriedRow {
  status: string;
  since: RawInstant;
  lagSeconds: number | bigint | null;
  advisoryId: string;
  name: string;
  epoch: number | bigint;
  version: string;
  release: string;
  major: number | bigint;
  url: string;
  severity: string | null;
  title: string | null;
  issuedAt: RawInstant;
}
const CHUNK = 500;
const CLOSED_STATUSES = ["published", "not_applicable"];

/**
 * The verdict rows the rules need, per package: every advisory × major with an open verdict or a publication
 * within the learning window, plus the last publication of each major (a stop older than the window).
 */
export async function listCarriedPackageRows(db: Db, mirror: MirrorConfig, now: Date): Promise<CarriedPackageRow[]> {
  const windowStart = new Date(now.getTime() - mirror.alerts.stoppedHistoryDays * DAY_MS);
  const [recent, ...lastPublished] = await Promise.all([
    db.verdict.findMany({
      where: { mirrorId: mirror.id, OR: [{ status: { notIn: CLOSED_STATUSES } }, { status: "published", since: { gte: windowStart } }] },
      select: { package: { select: { advisoryId: true, major: true } } },
    }),
    ...mirror.majors.map((major) =>
      db.verdict.findFirst({
        where: { mirrorId: mirror.id, status: "published", package: { major } },
        orderBy: { since: "desc" },
        select: { package: { select: { advisoryId: true, major: true } } },
      }),
    ),
  ]);
  const keys = new Set<string>();
  for (const row of [...recent, ...lastPublished]) if (row) keys.add(`${row.package.advisoryId}\u0000${row.package.major}`);
  const advisoryIds = [...new Set([...keys].map((key) => key.split("\u0000")[0]))];

  const rows: CarriedPackageRow[] = [];
  for (let index = 0; index < advisoryIds.length; index += CHUNK) {
    // One joined query per chunk: Prisma's nested selects cost three round trips and an in-memory join per chunk.
    const verdicts = await db.$queryRaw<RawCarriedRow[]>`
      SELECT v."status" AS "status", v."since" AS "since", v."lagSeconds" AS "lagSeconds",
        p."advisoryId" AS "advisoryId", p."name" AS "name", p."epoch" AS "epoch", p."version" AS "version",
        p."release" AS "release", p."major" AS "major",
        a."url" AS "url", a."severity" AS "severity", a."title" AS "title", a."issuedAt" AS "issuedAt"
      FROM "Verdict" v
        JOIN "Package" p ON p."id" = v."packageId"
        JOIN "Advisory" a ON a."id" = p."advisoryId"
      WHERE v."mirrorId" = ${mirror.id} AND p."advisoryId" IN (${Prisma.join(advisoryIds.slice(index, index + CHUNK))})`;
    for (const row of verdicts) {
      const major = Number(row.major);
      if (!keys.has(`${row.advisoryId}\u0000${major}`)) continue;
      rows.push({
        advisoryId: row.advisoryId,
        url: row.url,
        severity: row.severity,
        title: row.title,
        issuedAt: toDate(row.issuedAt),
        major,
        name: row.name,
        nevra: `${row.name}-${Number(row.epoch)}:${row.version}-${row.release}`,
        status: row.status,
        since: toDate(row.since),
        lagSeconds: row.lagSeconds === null ? null : Number(row.lagSeconds),
      });
    }
  }
  return rows;
}
