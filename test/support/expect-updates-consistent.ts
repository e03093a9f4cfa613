import { expect } from "vitest";
import { foldUpdate } from "../../core/update/fold-update";
import type { VerdictStatus } from "../../core/types";
import type { Db } from "../../server/db/client";

/**
 * The Update table and its counters hold exactly what folding every stored verdict again gives (core/fold-update.ts):
 * the invariant the evaluation keeps incrementally.
 */
export async function expectUpdatesConsistent(db: Db, mirrorId: string): Promise<void> {
  const [verdicts, updates, counts] = await Promise.all([
    db.verdict.findMany({
      where: { mirrorId },
      select: {
        status: true,
        statusReason: true,
        lagSeconds: true,
        publishedAt: true,
        nextChangeAt: true,
        package: { select: { advisoryId: true, major: true, advisory: { select: { issuedAt: true } } } },
      },
    }),
    db.mirrorUpdate.findMany({ where: { mirrorId } }),
    db.mirrorUpdateCount.findMany({ where: { mirrorId } }),
  ]);
  const groups = new Map<string, typeof verdicts>();
  for (const verdict of verdicts) {
    const key = `${verdict.package.advisoryId}/${verdict.package.major}`;
    groups.set(key, [...(groups.get(key) ?? []), verdict]);
  }
  const expected = [...groups.entries()]
    .map(([key, rows]) => {
      const rollup = foldUpdate(
        rows[0].package.advisory.issuedAt,
        rows.map((row) => ({ ...row, status: row.status as VerdictStatus })),
      );
      return { key, ...rollup, issuedAt: rows[0].package.advisory.issuedAt };
    })
    .sort((a, b) => a.key.localeCompare(b.key));
  const stored = updates
    .map((row) => ({
      key: `${row.advisoryId}/${row.major}`,
      status: row.status,
      statusReason: row.statusReason,
      publishedAt: row.publishedAt,
      lagSeconds: row.lagSeconds,
      isPublishedBeforeTracking: row.isPublishedBeforeTracking,
      isUnchecked: row.isUnchecked,
      packages: row.packages,
      nextChangeAt: row.nextChangeAt,
      overdueIssuedAt: row.overdueIssuedAt,
      issuedAt: row.issuedAt,
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
  expect(stored).toEqual(expected);

  const expectedCounts = new Map<string, { count: number; beforeTracking: number }>();
  for (const row of updates) {
    const entry = expectedCounts.get(`${row.major}/${row.status}`) ?? { count: 0, beforeTracking: 0 };
    entry.count++;
    if (row.isPublishedBeforeTracking) entry.beforeTracking++;
    expectedCounts.set(`${row.major}/${row.status}`, entry);
  }
  const storedCounts = new Map(
    counts
      .filter((row) => row.count !== 0)
      .map((row) => [`${row.major}/${row.status}`, { count: row.count, beforeTracking: row.beforeTracking }]),
  );
  expect(Object.fromEntries(storedCounts)).toEqual(Object.fromEntries(expectedCounts));
}
