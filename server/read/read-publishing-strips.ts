import "server-only";

import { decodeAlertDetails } from "../../core/alerts/alert-details-codec";
import { countPublishingDays, PUBLISHING_HISTORY_DAYS } from "../../core/publishing-days";
import type { Db } from "../db/client";
import { pickLastPublication, readLastCompletedUpdate } from "../updates/read-last-completed-update";
import { toDate, type RawInstant } from "../db/raw-instant";
import type { MirrorPublishingStrip } from "../../contract/summary-dto";

const DAY_MS = 86_400_000;

/**
 * Per mirror × major of the overview: its last publication, its updates published per day over the last 90 days
 * (gaps where we were not polling), and — when its publishing_stopped alert fires — the stop's date, the alert's own
 * figure (the same the mail and the feed quote). Index reads per row: the range of the window's publications
 * (MirrorUpdate (mirrorId, major, status, isPublishedBeforeTracking, publishedAt)), and a seek of the alert rules' own reader for the last
 * publication before tracking when there is one, and for the last dated one when the window has none; one read of
 * the firing stops.
 */
export async function readPublishingStrips(
  db: Db,
  input: {
    /** `hasBeforeTracking`: the counters hold a published Update the mirror had before we looked (one seek more). */
    rows: readonly { mirrorId: string; major: number; hasBeforeTracking: boolean }[];
    now: Date;
    lastSuccessAt: ReadonlyMap<string, Date | null>;
  },
): Promise<Map<string, MirrorPublishingStrip>> {
  const { now } = input;
  const windowStart = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS - (PUBLISHING_HISTORY_DAYS - 1) * DAY_MS);
  const mirrorIds = [...new Set(input.rows.map((row) => row.mirrorId))];
  const [stops, firstPolls] = await Promise.all([
    db.alert.findMany({
      where: { kind: "publishing_stopped", status: "firing" },
      select: { id: true, mirrorId: true, major: true, details: true },
    }),
    Promise.all(
      mirrorIds.map((sourceId) =>
        db.pollRun.findFirst({ where: { sourceId }, orderBy: { startedAt: "asc" }, select: { sourceId: true, startedAt: true } }),
      ),
    ),
  ]);
  const firstPollAt = new Map(firstPolls.flatMap((run) => (run ? [[run.sourceId, run.startedAt]] : [])));
  const stopByKey = new Map(
    stops.map((alert) => {
      const details = decodeAlertDetails(alert.details, { table: "Alert", id: alert.id });
      return [`${alert.mirrorId}/${alert.major}`, { alertId: alert.id, since: details.stop?.lastPublishedAt ?? null }];
    }),
  );
  const strips = await Promise.all(
    input.rows.map(async ({ mirrorId, major, hasBeforeTracking }) => {
      // A raw read of one column: the window holds a few hundred rows per row of the overview, which Prisma's model
      // decoding made three times as slow as the index range itself.
      const [inWindow, beforeTracking] = await Promise.all([
        db.$queryRaw<{ publishedAt: RawInstant }[]>`
          SELECT "publishedAt" FROM "MirrorUpdate"
          WHERE "mirrorId" = ${mirrorId} AND "major" = ${major} AND "status" = 'published' AND "isPublishedBeforeTracking" = false
            AND "publishedAt" >= ${windowStart} AND "publishedAt" <= ${now}`.then((rows) => rows.map((row) => toDate(row.publishedAt))),
        // As the alert rules and the mirror page see it, an update the mirror had before we looked counts, by its lower bound.
        hasBeforeTracking ? readLastCompletedUpdate(db, { mirrorId, major, now, isBeforeTracking: true }) : null,
      ]);
      // The window's newest is the last dated publication; only a mirror silent for 90 days needs the seek.
      const dated =
        inWindow.length > 0
          ? { at: new Date(Math.max(...inWindow.map((at) => at.getTime()))), isLowerBound: false }
          : await readLastCompletedUpdate(db, { mirrorId, major, now, isBeforeTracking: false });
      const last = pickLastPublication(dated, beforeTracking);
      const stop = stopByKey.get(`${mirrorId}/${major}`);
      const strip: MirrorPublishingStrip = {
        lastPublishedAt: last?.at.toISOString() ?? null,
        isLastPublishedLowerBound: last?.isLowerBound ?? false,
        stoppedSince: stop?.since ?? null,
        stopAlertId: stop?.alertId ?? null,
        days: countPublishingDays({
          publishedAt: inWindow,
          now,
          firstPollAt: firstPollAt.get(mirrorId) ?? null,
          lastSuccessAt: input.lastSuccessAt.get(mirrorId) ?? null,
        }),
      };
      return [`${mirrorId}/${major}`, strip] as const;
    }),
  );
  return new Map(strips);
}
