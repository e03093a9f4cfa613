import { z } from "zod";
import { Instant } from "./common";

/** Mirrors and upstreams with the health of our polling. */

export const SourceHealthStatus = z
  .enum(["ok", "failing", "stale", "never_polled"])
  .describe(
    "ok: last poll succeeded in time; failing: the last poll failed; stale: no success within the source's staleness limit; never_polled.",
  );
export type SourceHealthStatus = z.infer<typeof SourceHealthStatus>;

export const SourceHealth = z
  .object({
    status: SourceHealthStatus,
    lastSuccessAt: Instant.nullable(),
    lastFailureAt: Instant.nullable(),
    lastErrorKind: z
      .string()
      .nullable()
      .describe("network, timeout, http, parse, too_large, rate_limited, invalid_data or forbidden_destination."),
    lastErrorMessage: z.string().nullable(),
    consecutiveFailures: z.number().int().min(0),
  })
  .describe("How our polling of one source (upstream or mirror) is going.");
export type SourceHealth = z.infer<typeof SourceHealth>;

export const SyncProgress = z
  .object({
    sourceId: z.string(),
    step: z.string().describe('e.g. "fetching advisories", "listing tags", "idle".'),
    done: z.number().int().min(0),
    total: z.number().int().min(0).nullable().describe("null when not known yet."),
    isFirstSync: z.boolean(),
    updatedAt: Instant,
  })
  .describe("Progress of the poll under way on one source.");
export type SyncProgress = z.infer<typeof SyncProgress>;

export const MirrorRelation = z
  .enum(["exact", "related"])
  .describe("exact: carries RHEL's sources (or rebuilds); related: related builds only (CentOS Stream).");
export type MirrorRelation = z.infer<typeof MirrorRelation>;

export const MirrorDto = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.string().describe("The mirror's source kind from the config, e.g. git-forge, errata, yum-repository."),
    relation: MirrorRelation,
    majors: z.array(z.number().int()).describe("RHEL majors the mirror carries."),
    streams: z.array(z.string()).describe("RHEL streams the mirror carries (main, EUS, AUS, E4S, TUS, ELS)."),
    expectedLagHours: z.number(),
    missingAfterHours: z.number(),
    staleAfterMinutes: z.number(),
    pollIntervalSeconds: z.number(),
    health: SourceHealth,
  })
  .describe("A place where RHEL's sources should appear.");
export type MirrorDto = z.infer<typeof MirrorDto>;

export const UpstreamDto = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.string().describe("e.g. csaf."),
    health: SourceHealth,
  })
  .describe("A feed of what RHEL released.");
export type UpstreamDto = z.infer<typeof UpstreamDto>;

export const MirrorsResponse = z
  .object({
    now: Instant.describe("The instant the answer was computed for."),
    mirrors: z.array(MirrorDto),
    upstreams: z.array(UpstreamDto),
  })
  .describe("Every configured mirror and upstream with its polling health.");
export type MirrorsResponse = z.infer<typeof MirrorsResponse>;
