import type { Logger } from "pino";
import type { SrcwatchConfig } from "../core/config";
import { applyPendingMigrations } from "../prisma/migrate";
import type { Db } from "../server/db/client";
import type { DatabaseTarget } from "../server/db/database-target";
import { catchUpAllNewestBuilds } from "../server/evidence/catch-up-newest-builds";
import { syncConfiguredMirrors } from "../server/mirrors/sync-configured-mirrors";
import { failInterruptedPollRuns } from "../server/poll-runs/start-poll-run";
import { evaluateMirrorVerdicts } from "../server/verdicts/evaluate-mirror-verdicts";
import type { EvaluationLock } from "./queue/evaluation-lock";

/** At every worker start: migrations, mirrors from config, leftovers of a crash (one worker; a job queue closes them per source). */
export async function prepareDatabase(input: {
  db: Db;
  target: DatabaseTarget;
  config: SrcwatchConfig;
  now: Date;
  logger: Logger;
  /** Several workers start together on PostgreSQL: one rebuild of a mirror at a time. */
  evaluationLock: EvaluationLock;
  /** False when other workers may be polling right now (a job queue): their running polls are not interrupted ones. */
  closesInterruptedPolls: boolean;
}): Promise<void> {
  const applied = await applyPendingMigrations(input.target, {
    onWait: () => input.logger.info("another process is applying migrations: waiting for it"),
  });
  // Write-ahead logging: pages keep reading while the worker writes, and the web's few writes (subscriptions)
  // wait for the worker's instead of failing. The mode is kept in the database file.
  if (input.target.provider === "sqlite") await input.db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  if (applied.length) input.logger.info({ migrations: applied }, "applied database migrations");
  const { changedMirrorIds } = await syncConfiguredMirrors(input.db, input.config);
  // Polls keep NewestBuild current; this folds what they have not (the Evidence of a database just upgraded to it).
  // Caught up, it is one index read per mirror.
  const folded = await catchUpAllNewestBuilds(
    input.db,
    input.config.mirrors.map((mirror) => mirror.id),
  );
  if (folded.size)
    input.logger.info({ evidenceRows: Object.fromEntries(folded) }, "folded stored builds into the newest build per package");
  for (const mirror of input.config.mirrors) {
    if (!changedMirrorIds.includes(mirror.id) && applied.length === 0) continue;
    // A mirror's majors, streams or thresholds changed, or a migration brought what the rules read (new columns):
    // its closed verdicts may not hold any more.
    await input.evaluationLock.run(mirror.id, () => evaluateMirrorVerdicts(input.db, { mirror, now: input.now, includeClosed: true }));
  }
  if (!input.closesInterruptedPolls) return;
  const interrupted = await failInterruptedPollRuns(input.db, input.now);
  if (interrupted) input.logger.warn({ interrupted }, "closed poll runs left running by a previous worker");
}
