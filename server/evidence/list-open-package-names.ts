import "server-only";

import { scheduleNameChecks, type NameCheckCandidate, type NameCheckPolicy } from "../../core/schedule-name-checks";
import type { Db } from "../db/client";
import { whereOpenVerdict } from "../verdicts/open-verdicts";
import { findLastChecks, lastCheckOf } from "./find-last-checks";

/** When the poll starts and the mirror's thresholds: only the names due then are listed (core/schedule-name-checks.ts). */
export interface NameCheckSchedule {
  now: Date;
  mirror: NameCheckPolicy;
}

interface OpenPackage {
  name: string;
  major: number;
  recordedAt: Date | null;
  advisory: { issuedAt: Date };
}

/**
 * Packages this mirror still has to show — open or not yet evaluated verdicts — by name and major (never a crawl of
 * every repository). `withBeforeTrackedFrom`: also those judged released before the mirror began, while it may still
 * be importing them (server/verdicts/open-verdicts.ts). `schedule`: only the names × majors a per-package mirror's poll
 * asks about now; the others keep their last check.
 */
export async function listOpenPackageNames(
  db: Db,
  mirrorId: string,
  options: { withBeforeTrackedFrom?: boolean; schedule?: NameCheckSchedule } = {},
): Promise<Map<string, Set<number>>> {
  const withBeforeTrackedFrom = options.withBeforeTrackedFrom ?? false;
  const listed = options.schedule
    ? await listDueNames(db, mirrorId, await findOpenPackages(db, mirrorId, withBeforeTrackedFrom, PACKAGE_TIMES), options.schedule)
    : await findOpenPackages(db, mirrorId, withBeforeTrackedFrom, { name: true, major: true });
  const byName = new Map<string, Set<number>>();
  for (const pkg of listed) {
    const majors = byName.get(pkg.name) ?? new Set<number>();
    majors.add(pkg.major);
    byName.set(pkg.name, majors);
  }
  return byName;
}

const PACKAGE_TIMES = { name: true, major: true, recordedAt: true, advisory: { select: { issuedAt: true } } } as const;

async function findOpenPackages<S extends { name: true; major: true }>(
  db: Db,
  mirrorId: string,
  withBeforeTrackedFrom: boolean,
  select: S,
) {
  const [open, unevaluated] = await Promise.all([
    db.verdict.findMany({ where: { mirrorId, ...whereOpenVerdict(withBeforeTrackedFrom) }, select: { package: { select } } }),
    db.package.findMany({ where: { verdicts: { none: { mirrorId } } }, select }),
  ]);
  return [...open.map((row) => row.package), ...unevaluated];
}

async function listDueNames(db: Db, mirrorId: string, packages: OpenPackage[], schedule: NameCheckSchedule): Promise<NameCheckCandidate[]> {
  const byNameAndMajor = new Map<string, Omit<NameCheckCandidate, "lastCheckedAt">>();
  for (const pkg of packages) {
    const key = `${pkg.name}\u0000${pkg.major}`;
    const known = byNameAndMajor.get(key);
    byNameAndMajor.set(key, {
      name: pkg.name,
      major: pkg.major,
      newestIssuedAt: known && known.newestIssuedAt > pkg.advisory.issuedAt ? known.newestIssuedAt : pkg.advisory.issuedAt,
      lastRecordedAt: latestOf(known?.lastRecordedAt ?? null, pkg.recordedAt),
    });
  }
  const checks = await findLastChecks(db, mirrorId, [...new Set(packages.map((pkg) => pkg.name))]);
  const candidates = [...byNameAndMajor.values()].map((candidate) => ({
    ...candidate,
    lastCheckedAt: lastCheckOf(checks, candidate.name, candidate.major),
  }));
  return scheduleNameChecks(candidates, schedule.mirror, schedule.now);
}

function latestOf(a: Date | null, b: Date | null): Date | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}
