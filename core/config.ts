import { z } from "zod";
import { RHEL_STREAMS } from "./types";

const Id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]*$/, "lower-case letters, digits, dots and dashes, starting with a letter or digit");

/** How a source is fetched: shared by upstream feeds and mirrors. */
export const FetchPolicy = z.object({
  pollIntervalSeconds: z.number().int().positive().default(3600),
  timeoutMs: z.number().int().positive().default(30_000),
  maxResponseBytes: z.number().int().positive().default(20 * 1024 * 1024),
  concurrency: z.number().int().min(1).max(64).default(6),
  /** Minimum gap between two requests to the same host. */
  perHostMinIntervalMs: z.number().int().min(0).default(100),
  retries: z.number().int().min(0).max(10).default(3),
});
export type FetchPolicy = z.infer<typeof FetchPolicy>;

export const CsafFeedConfig = FetchPolicy.extend({
  id: Id,
  kind: z.literal("csaf"),
  name: z.string().min(1),
  /** Directory holding changes.csv, deletions.csv and <year>/<id>.json */
  baseUrl: z.url(),
  /** Advisories whose last change is older than this are not fetched on the first sync. */
  startDate: z.iso.date(),
  /** RHEL majors to keep; packages of other products are dropped. */
  majors: z.array(z.number().int().min(5).max(20)).min(1),
  /** Health turns stale when the last successful poll is older than this (default: three poll intervals). */
  staleAfterMinutes: z.number().positive().optional(),
});
export type CsafFeedConfig = z.infer<typeof CsafFeedConfig>;

export const UpstreamConfig = z.discriminatedUnion("kind", [CsafFeedConfig]);
export type UpstreamConfig = z.infer<typeof UpstreamConfig>;

/** Thresholds that turn "not found yet" into pending / delayed / missing / unknown. */
export const VerdictPolicy = z.object({
  /** Within this many hours of the upstream release an update not yet on the mirror is pending. */
  expectedLagHours: z.number().positive().default(48),
  /** After this many hours it is missing (between the two: delayed). */
  missingAfterHours: z.number().positive().default(168),
  /** If our last successful poll of the mirror is older than this, verdicts are unknown. */
  staleAfterMinutes: z.number().positive().default(360),
});
export type VerdictPolicy = z.infer<typeof VerdictPolicy>;

export const GitForgeMirrorConfig = FetchPolicy.extend(VerdictPolicy.shape).extend({
  id: Id,
  kind: z.literal("git-forge"),
  /** Display name, e.g. "git.centos.org". */
  name: z.string().min(1),
  majors: z.array(z.number().int().min(5).max(20)).min(1),
  streams: z.array(z.enum(RHEL_STREAMS)).min(1).default(["main"]),
  /** Clone URL of one package's repository; `{name}` is the source package name. */
  repoUrlTemplate: z.string().includes("{name}"),
  /** Tag of an import; placeholders `{major}`, `{name}`, `{nvr}`. */
  tagTemplate: z.string().includes("{nvr}"),
  /** Tag of a modular import; adds `{module}` and `{moduleStream}` (e.g. ruby and 3.1). */
  moduleTagTemplate: z.string().includes("{nvr}").optional(),
  /** Web page for a tag (evidence link); placeholders `{name}`, `{tag}`, `{sha}`. */
  tagWebUrlTemplate: z.string(),
  /** Pagure API root (e.g. https://git.centos.org/api/0) for commit times; absent = first-seen time. */
  pagureApiUrl: z.url().optional(),
  /** Pagure namespace of package repositories. */
  pagureNamespace: z.string().default("rpms"),
});
export type GitForgeMirrorConfig = z.infer<typeof GitForgeMirrorConfig>;

export const MirrorConfig = z.discriminatedUnion("kind", [GitForgeMirrorConfig]);
export type MirrorConfig = z.infer<typeof MirrorConfig>;

export const SrcwatchConfig = z
  .object({
    upstreams: z.array(UpstreamConfig).min(1),
    mirrors: z.array(MirrorConfig),
    userAgent: z.string().default("srcwatch/0.1 (+https://github.com/srcwatch/srcwatch)"),
  })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    for (const [listName, list] of [["upstreams", config.upstreams], ["mirrors", config.mirrors]] as const) {
      list.forEach((item, index) => {
        if (seen.has(item.id)) ctx.addIssue({ code: "custom", path: [listName, index, "id"], message: `duplicate id "${item.id}"` });
        seen.add(item.id);
      });
    }
  });
export type SrcwatchConfig = z.infer<typeof SrcwatchConfig>;
