import "server-only";

import type { MirrorConfig, UpstreamConfig } from "../../core/config";
import type { MirrorDto, SourceHealth, UpstreamDto } from "../../contract/mirror-dto";
import { computeSourceHealth } from "./compute-source-health";

type SourceStateRow = Parameters<typeof computeSourceHealth>[0];

/** An upstream feed counts as stale after its configured limit, or three missed polls. */
export function upstreamStaleAfterMinutes(upstream: Pick<UpstreamConfig, "pollIntervalSeconds" | "staleAfterMinutes">): number {
  return upstream.staleAfterMinutes ?? (upstream.pollIntervalSeconds * 3) / 60;
}

export function computeMirrorHealth(mirror: Pick<MirrorConfig, "staleAfterMinutes">, state: SourceStateRow, now: Date): SourceHealth {
  return computeSourceHealth(state, { now, staleAfterMinutes: mirror.staleAfterMinutes });
}

export function computeUpstreamHealth(
  upstream: Pick<UpstreamConfig, "pollIntervalSeconds" | "staleAfterMinutes">,
  state: SourceStateRow,
  now: Date,
): SourceHealth {
  return computeSourceHealth(state, { now, staleAfterMinutes: upstreamStaleAfterMinutes(upstream) });
}

/** A mirror as configured: what it carries and its policy (the mirrors list and a mirror's history). */
export function toMirrorSettingsDto(mirror: MirrorConfig): Omit<MirrorDto, "health"> {
  return {
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
  };
}

export function toMirrorDto(mirror: MirrorConfig, input: { state: SourceStateRow; now: Date }): MirrorDto {
  return { ...toMirrorSettingsDto(mirror), health: computeMirrorHealth(mirror, input.state, input.now) };
}

export function toUpstreamDto(upstream: UpstreamConfig, input: { state: SourceStateRow; now: Date }): UpstreamDto {
  return { id: upstream.id, name: upstream.name, kind: upstream.kind, health: computeUpstreamHealth(upstream, input.state, input.now) };
}
