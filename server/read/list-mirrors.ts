import "server-only";

import { getConfig } from "../config/get-config";
import { getDb } from "../db/client";
import type { MirrorsResponse } from "../../contract/mirror-dto";
import { toMirrorDto, toUpstreamDto } from "./to-mirror-dto";

export async function listMirrors(input: { now: Date }): Promise<MirrorsResponse> {
  const config = getConfig();
  const states = await getDb().sourceState.findMany();
  const stateById = new Map(states.map((state) => [state.sourceId, state]));
  return {
    now: input.now.toISOString(),
    mirrors: config.mirrors.map((mirror) => toMirrorDto(mirror, { state: stateById.get(mirror.id), now: input.now })),
    upstreams: config.upstreams.map((upstream) => toUpstreamDto(upstream, { state: stateById.get(upstream.id), now: input.now })),
  };
}
