import { getConfig } from "../config/get-config";
import { getDb } from "../db/client";
import { computeSourceHealth } from "./compute-source-health";
import type { MirrorsResponse } from "../../contract/mirror-dto";

/** An upstream feed counts as stale after its configured limit, or three missed polls. */
export function upstreamStaleAfterMinutes(upstream: { pollIntervalSeconds: number; staleAfterMinutes?: number }): number {
  return upstream.staleAfterMinutes ?? (upstream.pollIntervalSeconds * 3) / 60;
}

export async function listMirrors(input: { now: Date }): Promise<MirrorsResponse> {
  const config = getConfig();
  const states = await getDb().sourceState.findMany();
  const stateById = new Map(states.map((state) => [state.sourceId, state]));
  return {
    now: input.now.toISOString(),
    mirrors: config.mirrors.map((mirror) => ({
      id: mirror.id,
      name: mirror.name,
      kind: mirror.kind,
      relation: mirror.relation,
      majors: mirror.majors,
      streams: mirror.streams,
      expectedLagHours: mirror.expectedLagHours,
      missingAfterHours: mirror.missingAfterHours,
      staleAfterMinutes: mirror.staleAfterMinutes,
      pollIntervalSeconds: mirror.pollIntervalSeconds,
      health: computeSourceHealth(stateById.get(mirror.id), { now: input.now, staleAfterMinutes: mirror.staleAfterMinutes }),
    })),
    upstreams: config.upstreams.map((upstream) => ({
      id: upstream.id,
      name: upstream.name,
      kind: upstream.kind,
      health: computeSourceHealth(stateById.get(upstream.id), { now: input.now, staleAfterMinutes: upstreamStaleAfterMinutes(upstream) }),
    })),
  };
}
