import "server-only";

import type { UpstreamAdvisory } from "../../core/types";
import type { Db, DbTransaction } from "../db/client";
import { insertRows } from "../db/insert-rows";
import { finishPollRun } from "../poll-runs/finish-poll-run";
import type { PollRunReport } from "../poll-runs/poll-run-outcome";
import { refreshMirrorUpdates } from "../updates/refresh-mirror-updates";

const CHUNK = 500;
const ADVISORY_COLUMNS = ["id", "upstreamId", "type", "severity", "title", "issuedAt", "updatedAt", "url", "cves", "fetchedAt"] as const;
const PACKAGE_COLUMNS = [
  "advisoryId",
  "name",
  "epoch",
  "version",
  "release",
  "major",
  "stream",
  "minor",
  "moduleStream",
  "recordedAt",
] as const;

function packageKey(row: { name: string; epoch: number; version: string; release: string; major: number; stream: string }): string {
  return [row.name, row.epoch, row.version, row.release, row.major, row.stream].join("\u0000");
}

/**
 * Writes the advisories; returns the ids of stored ones whose release time or packages changed: their Updates must be
 * folded again and their verdicts evaluated again (see markAdvisoriesChanged).
 */
async function writeAdvisories(tx: DbTransaction, upstreamId: string, advisories: UpstreamAdvisory[], now: Date): Promise<string[]> {
  const changed: string[] = [];
  for (let index = 0; index < advisories.length; index += CHUNK) {
    const batch = advisories.slice(index, index + CHUNK);
    const existing = await tx.advisory.findMany({
      where: { id: { in: batch.map((advisory) => advisory.id) } },
      select: {
        id: true,
        issuedAt: true,
        packages: { select: { id: true, name: true, epoch: true, version: true, release: true, major: true, stream: true } },
      },
    });
    const existingById = new Map(existing.map((row) => [row.id, row]));
    const fields = (advisory: UpstreamAdvisory) => ({
      upstreamId,
      type: advisory.type,
      severity: advisory.severity,
      title: advisory.title,
      issuedAt: advisory.issuedAt,
      updatedAt: advisory.updatedAt,
      url: advisory.url,
      cves: advisory.cves.join(" "),
      fetchedAt: now,
    });
    const toPackageRow = (advisoryId: string, pkg: UpstreamAdvisory["packages"][number]) => ({
      advisoryId,
      name: pkg.name,
      epoch: pkg.epoch,
      version: pkg.version,
      release: pkg.release,
      major: pkg.major,
      stream: pkg.stream,
      minor: pkg.minor,
      moduleStream: pkg.moduleStream,
      // A mirror poll that started before this moment cannot have asked about the package.
      recordedAt: now,
    });

    const fresh = batch.filter((advisory) => !existingById.has(advisory.id));
    if (fresh.length) {
      // A first sync writes tens of thousands of rows: multi-row INSERTs, not createMany (see insertRows).
      await insertRows(
        tx,
        "Advisory",
        ADVISORY_COLUMNS,
        fresh.map((advisory) => {
          const row = { id: advisory.id, ...fields(advisory) };
          return ADVISORY_COLUMNS.map((column) => row[column]);
        }),
      );
      await insertRows(
        tx,
        "Package",
        PACKAGE_COLUMNS,
        fresh.flatMap((advisory) =>
          advisory.packages.map((pkg) => {
            const row = toPackageRow(advisory.id, pkg);
            return PACKAGE_COLUMNS.map((column) => row[column]);
          }),
        ),
      );
    }
    for (const advisory of batch) {
      const stored = existingById.get(advisory.id);
      if (!stored) continue;
      await tx.advisory.update({ where: { id: advisory.id }, data: fields(advisory) });
      const wanted = new Map(advisory.packages.map((pkg) => [packageKey(pkg), pkg]));
      const have = new Map(stored.packages.map((row) => [packageKey(row), row]));
      const removed = stored.packages.filter((row) => !wanted.has(packageKey(row))).map((row) => row.id);
      if (removed.length) await tx.package.deleteMany({ where: { id: { in: removed } } });
      const added = advisory.packages.filter((pkg) => !have.has(packageKey(pkg)));
      if (added.length) await tx.package.createMany({ data: added.map((pkg) => toPackageRow(advisory.id, pkg)) });
      if (removed.length || added.length || stored.issuedAt.getTime() !== advisory.issuedAt.getTime()) changed.push(advisory.id);
    }
  }
  return changed;
}

/**
 * Stored advisories that changed upstream: their verdicts are due at the next evaluation (a new release time moves
 * pending → delayed → missing) and their Updates are folded again now, on every mirror (a removed package took its
 * verdicts with it). Deleted advisories lose their verdicts first, so that the Updates' counters follow.
 */
async function markAdvisoriesChanged(
  tx: DbTransaction,
  input: { upstreamId: string; changedIds: string[]; deletedIds: string[]; now: Date },
) {
  if (input.changedIds.length === 0 && input.deletedIds.length === 0) return;
  const mirrors = await tx.mirror.findMany({ select: { id: true } });
  for (let index = 0; index < input.changedIds.length; index += CHUNK) {
    const ids = input.changedIds.slice(index, index + CHUNK);
    await tx.verdict.updateMany({ where: { package: { advisoryId: { in: ids } } }, data: { nextChangeAt: input.now } });
  }
  if (input.changedIds.length) {
    await tx.mirrorEvaluation.updateMany({
      where: { OR: [{ nextChangeAt: null }, { nextChangeAt: { gt: input.now } }] },
      data: { nextChangeAt: input.now },
    });
  }
  for (let index = 0; index < input.deletedIds.length; index += CHUNK) {
    const ids = input.deletedIds.slice(index, index + CHUNK);
    await tx.verdict.deleteMany({ where: { package: { advisoryId: { in: ids }, advisory: { upstreamId: input.upstreamId } } } });
  }
  for (const mirror of mirrors) {
    await refreshMirrorUpdates(tx, { mirrorId: mirror.id, advisoryIds: [...input.changedIds, ...input.deletedIds], now: input.now });
  }
}

/**
 * Writes what an upstream poll brought — advisories, their packages, deletions — together with
 * its PollRun and the feed's new sync state, in one transaction: all of it or none of it.
 */
export async function recordUpstreamPoll(
  db: Db,
  input: {
    upstreamId: string;
    pollRunId: number;
    now: Date;
    advisories: UpstreamAdvisory[];
    deletedIds: string[];
    syncState: string | undefined;
    report: PollRunReport;
  },
): Promise<void> {
  await db.$transaction(
    async (tx) => {
      const changedIds = await writeAdvisories(tx, input.upstreamId, input.advisories, input.now);
      await markAdvisoriesChanged(tx, { upstreamId: input.upstreamId, changedIds, deletedIds: input.deletedIds, now: input.now });
      // An advisory's title or severity is part of what alerts show: every mirror's alert rules run again.
      if (input.advisories.length > 0 || input.deletedIds.length > 0) {
        await tx.mirrorEvaluation.updateMany({ data: { changeSeq: { increment: 1 } } });
      }
      for (let index = 0; index < input.deletedIds.length; index += CHUNK) {
        await tx.advisory.deleteMany({ where: { id: { in: input.deletedIds.slice(index, index + CHUNK) }, upstreamId: input.upstreamId } });
      }
      await finishPollRun(tx, {
        pollRunId: input.pollRunId,
        sourceId: input.upstreamId,
        sourceKind: "upstream",
        now: input.now,
        report: input.report,
        syncState: input.syncState,
      });
    },
    { timeout: 600_000, maxWait: 60_000 },
  );
}
