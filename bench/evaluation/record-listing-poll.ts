import type { Db } from "../../server/db/client";
import { recordMirrorPoll } from "../../server/evidence/record-mirror-poll";
import { startPollRun } from "../../server/poll-runs/start-poll-run";

/** A listing mirror's poll that found nothing new, recorded through the worker's own code: every package was asked about. */
export async function recordListingPoll(db: Db, input: { mirrorId: string; startedAt: Date }): Promise<void> {
  const pollRunId = await startPollRun(db, { sourceId: input.mirrorId, sourceKind: "mirror", now: input.startedAt });
  await recordMirrorPoll(db, {
    mirrorId: input.mirrorId,
    pollRunId,
    startedAt: input.startedAt,
    now: new Date(input.startedAt.getTime() + 2_000),
    newBuilds: [],
    checkedNames: "all",
    report: {
      outcome: "success",
      stats: { requests: 2, notModified: 2, bytes: 0, retries: 0 },
      items: 0,
      errorKind: null,
      errorMessage: null,
    },
  });
}
