import "server-only";

import { decodeAlertDetails } from "../../core/alerts/alert-details-codec";
import {
  assessMirrorPublishing,
  learnMirrorNormalLag,
  listFiringPartialStops,
  type MirrorPublishing,
} from "../../core/alerts/assess-mirror-publishing";
import { groupCarriedAdvisories, type CarriedAdvisory, type CarriedPackageRow } from "../../core/alerts/carried-updates";
import type { MirrorConfig } from "../../core/config";
import { formatNevra } from "../../core/nevra";
import { Prisma } from "../../prisma/generated/sqlite/client";
import type { Db } from "../db/client";
import { toDate, type RawInstant } from "../db/raw-instant";
import { readLastCompletedUpdate } from "../updates/read-last-completed-update";
import { CLOSED_VERDICT_STATUSES } from "../../core/update/open-verdict";

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const CHUNK = 500;

interface RawCarriedRow {
  status: string;
  since: RawInstant;
  lagSeconds: number | bigint | null;
  publishedAt: RawInstant | null;
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

type PublishingMirror = Pick<MirrorConfig, "id" | "majors" | "alerts" | "expectedLagHours">;

const keyOf = (advisoryId: string, major: number) => `${advisoryId}\u0000${major}`;

/** Every package verdict (applicable or not) of the given advisory × major keys on the mirror. */
async function listRowsOfKeys(db: Db, mirrorId: string, keys: ReadonlySet<string>): Promise<CarriedPackageRow[]> {
  const advisoryIds = [...new Set([...keys].map((key) => key.split("\u0000")[0]))];
  const rows: CarriedPackageRow[] = [];
  for (let index = 0; index < advisoryIds.length; index += CHUNK) {
    // One joined query per chunk: Prisma's nested selects cost three round trips and an in-memory join per chunk.
    const verdicts = await db.$queryRaw<RawCarriedRow[]>`
      SELECT v."status" AS "status", v."since" AS "since", v."lagSeconds" AS "lagSeconds", v."publishedAt" AS "publishedAt",
        p."advisoryId" AS "advisoryId", p."name" AS "name", p."epoch" AS "epoch", p."version" AS "version",
        p."release" AS "release", p."major" AS "major",
        a."url" AS "url", a."severity" AS "severity", a."title" AS "title", a."issuedAt" AS "issuedAt"
      FROM "Verdict" v
        JOIN "Package" p ON p."id" = v."packageId"
        JOIN "Advisory" a ON a."id" = p."advisoryId"
      WHERE v."mirrorId" = ${mirrorId} AND p."advisoryId" IN (${Prisma.join(advisoryIds.slice(index, index + CHUNK))})`;
    for (const row of verdicts) {
      const major = Number(row.major);
      if (!keys.has(keyOf(row.advisoryId, major))) continue;
      rows.push({
        advisoryId: row.advisoryId,
        url: row.url,
        severity: row.severity,
        title: row.title,
        issuedAt: toDate(row.issuedAt),
        major,
        name: row.name,
        nevra: formatNevra({ name: row.name, epoch: Number(row.epoch), version: row.version, release: row.release }),
        status: row.status,
        since: toDate(row.since),
        lagSeconds: row.lagSeconds === null ? null : Number(row.lagSeconds),
        publishedAt: row.publishedAt === null ? null : toDate(row.publishedAt),
      });
    }
  }
  return rows;
}

/**
 * The last `count` carried updates of `major` released at or before `dueBefore` (and all those tied with the oldest of
 * them, so the rule's own tie order decides), leaving out updates with a package we could not check (unknown): the rule
 * counts neither for nor against the mirror.
 */
async function listLastDueUpdates(db: Db, input: { mirrorId: string; major: number; dueBefore: Date; count: number }): Promise<string[]> {
  const { mirrorId, major } = input;
  const where = (issuedAt: Prisma.DateTimeFilter) => ({ mirrorId, major, status: { not: "not_applicable" }, isUnchecked: false, issuedAt });
  const last = await db.mirrorUpdate.findMany({
    where: where({ lte: input.dueBefore }),
    orderBy: [{ issuedAt: "desc" }, { advisoryId: "desc" }],
    take: input.count,
    select: { advisoryId: true, issuedAt: true },
  });
  if (last.length < input.count) return last.map((update) => keyOf(update.advisoryId, major));
  const ties = await db.mirrorUpdate.findMany({ where: where({ equals: last[last.length - 1].issuedAt }), select: { advisoryId: true } });
  return [...new Set([...last, ...ties].map((update) => keyOf(update.advisoryId, major)))];
}

/**
 * The carried updates the publishing rules need (core/alerts/assess-mirror-publishing.ts), per major, with bounded reads:
 * - every update with an open verdict;
 * - the updates published within `stoppedHistoryDays` (by Verdict.publishedAt), to learn the normal lag;
 * - the real last publication of each major, whatever its age: the last update the mirror completed by publication time,
 *   and the last one it had before tracking (by the lower bound of its publication), both read by
 *   server/updates/read-last-completed-update.ts, which the overview uses too;
 * - the last 2 × `partialStopWindow` updates due by now (released before now − the normal lag), for partial stops.
 * Used by the alert evaluation and the mirror page alike, so they judge the same data.
 */
export async function readCarriedUpdates(db: Db, mirror: PublishingMirror, now: Date): Promise<Map<number, CarriedAdvisory[]>> {
  const historyStart = new Date(now.getTime() - mirror.alerts.stoppedHistoryDays * DAY_MS);
  // The Updates (MirrorUpdate) say which updates matter; their package verdicts are read for those alone.
  const [open, recent] = await Promise.all([
    db.mirrorUpdate.findMany({
      where: { mirrorId: mirror.id, status: { notIn: [...CLOSED_VERDICT_STATUSES] } },
      select: { advisoryId: true, major: true },
    }),
    db.mirrorUpdate.findMany({
      where: { mirrorId: mirror.id, status: "published", publishedAt: { gt: historyStart, lte: now } },
      select: { advisoryId: true, major: true },
    }),
  ]);
  const lastCompleted = await Promise.all(
    mirror.majors.flatMap((major) =>
      [false, true].map(async (isBeforeTracking) => {
        const last = await readLastCompletedUpdate(db, { mirrorId: mirror.id, major, now, isBeforeTracking });
        return last ? keyOf(last.advisoryId, major) : null;
      }),
    ),
  );
  const keys = new Set([...open, ...recent].map((row) => keyOf(row.advisoryId, row.major)));
  for (const key of lastCompleted) if (key !== null) keys.add(key);
  const rows = await listRowsOfKeys(db, mirror.id, keys);

  // Which updates are due depends on the normal lag, learned from the publications just read (older ones do not count).
  const normalLag = learnMirrorNormalLag({
    updatesByMajor: groupCarriedAdvisories(rows),
    now,
    policy: mirror.alerts,
    expectedLagHours: mirror.expectedLagHours,
  });
  const dueBefore = new Date(now.getTime() - normalLag.hours * HOUR_MS);
  const dueKeys = await Promise.all(
    mirror.majors.map((major) =>
      listLastDueUpdates(db, { mirrorId: mirror.id, major, dueBefore, count: 2 * mirror.alerts.partialStopWindow }),
    ),
  );
  const moreKeys = new Set(dueKeys.flat().filter((key) => !keys.has(key)));
  if (moreKeys.size > 0) rows.push(...(await listRowsOfKeys(db, mirror.id, moreKeys)));
  const updatesByMajor = groupCarriedAdvisories(rows);
  for (const major of mirror.majors) if (!updatesByMajor.has(major)) updatesByMajor.set(major, []);
  return updatesByMajor;
}

/**
 * The mirror's publishing as the alert rules judge it: normal lag, and per major its stop and partial stop — with the
 * normal share its firing partial_stop alerts fired with, as the rules use it.
 */
export async function readMirrorPublishing(
  db: Db,
  mirror: PublishingMirror,
  now: Date,
): Promise<{ updatesByMajor: Map<number, CarriedAdvisory[]>; publishing: MirrorPublishing }> {
  const [updatesByMajor, firing] = await Promise.all([
    readCarriedUpdates(db, mirror, now),
    db.alert.findMany({
      where: { mirrorId: mirror.id, kind: "partial_stop", status: "firing" },
      select: { id: true, kind: true, major: true, details: true },
    }),
  ]);
  const firingPartialStops = listFiringPartialStops(
    firing.map((alert) => ({ ...alert, details: decodeAlertDetails(alert.details, { table: "Alert", id: alert.id }) })),
  );
  return {
    updatesByMajor,
    publishing: assessMirrorPublishing({
      updatesByMajor,
      now,
      policy: mirror.alerts,
      expectedLagHours: mirror.expectedLagHours,
      firingPartialStops,
    }),
  };
}
