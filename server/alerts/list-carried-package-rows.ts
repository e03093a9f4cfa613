import type { CarriedPackageRow } from "../../core/alerts/evaluate-alert-rules";
import type { MirrorConfig } from "../../core/config";
import type { Db } from "../db/client";

const DAY_MS = 86_400_000;
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
    const verdicts = await db.verdict.findMany({
      where: { mirrorId: mirror.id, package: { advisoryId: { in: advisoryIds.slice(index, index + CHUNK) } } },
      select: {
        status: true,
        since: true,
        lagSeconds: true,
        package: {
          select: {
            advisoryId: true, name: true, epoch: true, version: true, release: true, major: true,
            advisory: { select: { url: true, severity: true, title: true, issuedAt: true } },
          },
        },
      },
    });
    for (const { package: pkg, ...verdict } of verdicts) {
      if (!keys.has(`${pkg.advisoryId}\u0000${pkg.major}`)) continue;
      rows.push({
        advisoryId: pkg.advisoryId,
        url: pkg.advisory.url,
        severity: pkg.advisory.severity,
        title: pkg.advisory.title,
        issuedAt: pkg.advisory.issuedAt,
        major: pkg.major,
        name: pkg.name,
        nevra: `${pkg.name}-${pkg.epoch}:${pkg.version}-${pkg.release}`,
        status: verdict.status,
        since: verdict.since,
        lagSeconds: verdict.lagSeconds,
      });
    }
  }
  return rows;
}
