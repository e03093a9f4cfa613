import { evaluateMirrorVerdicts } from "../server/verdicts/evaluate-mirror-verdicts";
import { pollMirror } from "./poll-mirror";
import { pollUpstream } from "./poll-upstream";
import type { WorkerDeps } from "./worker-deps";

/** One full cycle, in order: every upstream, every mirror, then the verdicts. Tests and `worker --once` use it. */
export async function runPollCycle(deps: WorkerDeps): Promise<void> {
  for (const upstream of deps.config.upstreams) await pollUpstream(deps, upstream);
  for (const mirror of deps.config.mirrors) {
    await pollMirror(deps, mirror);
    await evaluateMirrorVerdicts(deps.db, { mirror, now: deps.now() });
  }
}
