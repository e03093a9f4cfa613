import { evaluateAlertsWhenDue } from "../server/alerts/evaluate-alerts-when-due";
import { evaluateMirrorVerdicts } from "../server/verdicts/evaluate-mirror-verdicts";
import { deleteAbandonedRows } from "./delete-abandoned-rows";
import { pollMirror } from "./poll-mirror";
import { pollUpstream } from "./poll-upstream";
import type { WorkerDeps } from "./worker-deps";

/**
 * One full cycle, in order: every upstream, then per mirror its poll, verdicts and alerts (when due), then the clean-up of
 * abandoned rows (a `worker --once` run from cron has no scheduler to do it). Tests and `worker --once` use it.
 */
export async function runPollCycle(deps: WorkerDeps): Promise<void> {
  for (const upstream of deps.config.upstreams) await pollUpstream(deps, upstream);
  for (const mirror of deps.config.mirrors) {
    await pollMirror(deps, mirror);
    await evaluateMirrorVerdicts(deps.db, { mirror, now: deps.now() });
    await evaluateAlertsWhenDue(deps.db, { mirror, config: deps.config, now: deps.now() });
  }
  await deleteAbandonedRows(deps);
}
