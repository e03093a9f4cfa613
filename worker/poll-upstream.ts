import type { UpstreamConfig } from "../core/config";
import type { UpstreamAdvisory } from "../core/types";
import { recordUpstreamPoll } from "../server/advisories/record-upstream-poll";
import { encodeSyncState } from "../server/db/codecs/sync-state-codec";
import type { PollRunReport } from "../server/poll-runs/poll-run-outcome";
import { getSyncState } from "../server/source-state/record-source-progress";
import { UPSTREAM_SOURCES } from "../sources/registry";
import type { UpstreamSource } from "../sources/source-contracts";
import { runPoll } from "./run-poll";
import type { WorkerDeps } from "./worker-deps";

export interface UpstreamPollResult {
  report: PollRunReport;
  advisoriesWritten: number;
}

interface UpstreamChanges {
  advisories: UpstreamAdvisory[];
  deletedIds: string[];
  syncState: string;
}

/** Job handler: one poll of one upstream feed (any kind), written with its PollRun in one transaction. */
export async function pollUpstream(deps: WorkerDeps, upstream: UpstreamConfig): Promise<UpstreamPollResult> {
  const source = UPSTREAM_SOURCES[upstream.kind] as UpstreamSource<typeof upstream>;
  const { report, result } = await runPoll<UpstreamChanges>(
    deps,
    { kind: "upstream", config: upstream },
    {
      async attempt({ http, signal, onProgress, log }) {
        const state = await getSyncState(deps.db, upstream.id);
        const synced = await source.sync({ http, upstream, state: state ?? source.initialState, onProgress, signal });
        if (!synced.ok) return synced;
        const refused = synced.refusedLinks ?? [];
        if (refused.length)
          log.warn({ count: refused.length, first: refused.slice(0, 10) }, "refused advisory links that are not https on an allowed host");
        const failure = synced.failures[0];
        return {
          ok: true,
          result: { advisories: synced.advisories, deletedIds: synced.deletedIds, syncState: encodeSyncState(synced.state, upstream.id) },
          outcome: synced.failures.length ? "partial" : "success",
          items: synced.advisories.length,
          notes: synced.notes,
          failure: failure
            ? {
                kind: failure.error.kind,
                message: `${synced.failures.length} advisory file(s) could not be used; first: ${failure.path}: ${failure.error.message}`,
              }
            : null,
        };
      },
      record: ({ pollRunId, report, result }) =>
        recordUpstreamPoll(deps.db, {
          upstreamId: upstream.id,
          pollRunId,
          now: deps.now(),
          advisories: result?.advisories ?? [],
          deletedIds: result?.deletedIds ?? [],
          syncState: result?.syncState,
          report,
        }),
    },
  );
  return { report, advisoriesWritten: result?.advisories.length ?? 0 };
}
