import { z } from "zod";
import { DEFAULT_ADVISORY_LINKS, normaliseLinkHost } from "./check-link";
import { SubscriptionScope } from "./subscription-scope";
import { RHEL_STREAMS } from "./types";

const Id = z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, "lower-case letters, digits, dots and dashes, starting with a letter or digit");

/** How a source is fetched: shared by upstream feeds and mirrors. */
export const FetchPolicy = z.object({
  pollIntervalSeconds: z.number().int().positive().default(3600),
  timeoutMs: z.number().int().positive().default(30_000),
  maxResponseBytes: z
    .number()
    .int()
    .positive()
    .default(20 * 1024 * 1024),
  concurrency: z.number().int().min(1).max(64).default(6),
  /** Minimum gap between two requests to the same host. */
  perHostMinIntervalMs: z.number().int().min(0).default(100),
  retries: z.number().int().min(0).max(10).default(3),
  /** Cap on one metadata file once decompressed: real primary.xml files are at most a few hundred MB; more is a bomb. */
  maxDecompressedBytes: z
    .number()
    .int()
    .positive()
    .default(1024 * 1024 * 1024),
  /** Cap on one `<package>` / `<update>` element; real ones are a few KB. */
  maxElementBytes: z
    .number()
    .int()
    .positive()
    .default(8 * 1024 * 1024),
  /** A poll still running after this is aborted and recorded as a timeout (long enough for a first sync from a start date). */
  pollTimeoutSeconds: z.number().int().positive().default(1800),
  /** Where requests and redirects may go besides the hosts of the source's own URLs. */
  egress: z
    .object({
      /** Extra hosts: `host`, `host:port` or `*.domain` (e.g. the CDN a feed redirects to). */
      allowedHosts: z.array(z.string().refine(isHostPattern, "a host name, host:port or *.domain")).default([]),
      /** Allow loopback, private and link-local addresses (the simulator, tests, a mirror on the intranet). */
      allowPrivateNetwork: z.boolean().default(false),
    })
    .default({ allowedHosts: [], allowPrivateNetwork: false }),
});
export type FetchPolicy = z.infer<typeof FetchPolicy>;

function isHostPattern(pattern: string): boolean {
  const host = pattern.startsWith("*.") ? pattern.slice(2) : pattern;
  if (!URL.canParse(`http://${host}`)) return false;
  const url = new URL(`http://${host}`);
  return url.pathname === "/" && !host.endsWith("/") && url.search === "" && url.hash === "" && url.username === "" && url.password === "";
}

/** What an upstream feed has in common: which RHEL majors to keep and from when. */
const UpstreamBase = FetchPolicy.extend({
  id: Id,
  name: z.string().min(1),
  /** Advisories whose last change is older than this are not fetched on the first sync. */
  startDate: z.iso.date(),
  /** RHEL majors to keep; packages of other products are dropped. */
  majors: z.array(z.number().int().min(5).max(20)).min(1),
  /** Health turns stale when the last successful poll is older than this (default: three poll intervals). */
  staleAfterMinutes: z.number().positive().optional(),
  /** Web page of an advisory; `{id}` (RHSA-2024:0010). Used when the feed's own link is absent or refused. */
  advisoryUrlTemplate: z.string().includes("{id}").default(DEFAULT_ADVISORY_LINKS.advisoryUrlTemplate),
  /** Hosts an advisory link found in the feed may point at (https only); links elsewhere are dropped and logged. */
  advisoryLinkHosts: z
    .array(z.string().refine((host) => normaliseLinkHost(host) !== null, "a host name, or host:port"))
    .min(1)
    .default([...DEFAULT_ADVISORY_LINKS.advisoryLinkHosts]),
});

/**
 * A first sync that would fetch at least `minDocuments` documents one by one reads the archive `archive_latest.txt`
 * names instead (`csaf_advisories_<date>.tar.zst`: every document as of that date), then fetches only what changed
 * since. null: never.
 */
export const CsafArchiveConfig = z.object({
  minDocuments: z.number().int().min(1).default(500),
  /** Compressed bytes of the download. */
  maxBytes: z
    .number()
    .int()
    .positive()
    .default(4 * 1024 * 1024 * 1024),
  /** Every byte of the tar once decompressed (one document is capped by `maxResponseBytes`). */
  maxUnpackedBytes: z
    .number()
    .int()
    .positive()
    .default(64 * 1024 * 1024 * 1024),
  /** The download must be complete within this (the poll's own `pollTimeoutSeconds` still applies). */
  timeoutMs: z
    .number()
    .int()
    .positive()
    .default(25 * 60_000),
});
export type CsafArchiveConfig = z.infer<typeof CsafArchiveConfig>;

export const CsafFeedConfig = UpstreamBase.extend({
  kind: z.literal("csaf"),
  /** Directory holding changes.csv, deletions.csv, archive_latest.txt and <year>/<id>.json */
  baseUrl: z.url(),
  archive: CsafArchiveConfig.nullable().prefault({}),
});
export type CsafFeedConfig = z.infer<typeof CsafFeedConfig>;

/** Red Hat's OSV records: `<baseUrl>/<ID>.json`, listed by `<indexUrl>` (modified_id.csv: `<modified>,<ID>` per line). */
export const OsvUpstreamConfig = UpstreamBase.extend({
  kind: z.literal("osv"),
  baseUrl: z.url(),
  indexUrl: z.url(),
});
export type OsvUpstreamConfig = z.infer<typeof OsvUpstreamConfig>;

/** A yum repository's updateinfo as the upstream reference (when no CSAF feed is reachable). */
export const UpdateinfoUpstreamConfig = UpstreamBase.extend({
  kind: z.literal("updateinfo"),
  /** Repository roots (holding repodata/repomd.xml); `{major}` is filled per configured major. */
  repoUrlTemplates: z.array(z.string().includes("{major}")).min(1),
});
export type UpdateinfoUpstreamConfig = z.infer<typeof UpdateinfoUpstreamConfig>;

export const UpstreamConfig = z.discriminatedUnion("kind", [CsafFeedConfig, OsvUpstreamConfig, UpdateinfoUpstreamConfig]);
export type UpstreamConfig = z.infer<typeof UpstreamConfig>;
export type UpstreamKind = UpstreamConfig["kind"];

/** Thresholds that turn "not found yet" into pending / delayed / missing / unknown. */
export const VerdictPolicy = z.object({
  /** Within this many hours of the upstream release an update not yet on the mirror is pending. */
  expectedLagHours: z.number().positive().default(48),
  /** After this many hours it is missing (between the two: delayed). */
  missingAfterHours: z.number().positive().default(168),
  /** If our last successful poll of the mirror is older than this, verdicts are unknown. */
  staleAfterMinutes: z.number().positive().default(360),
  /**
   * A publication time more than this many days before the update's release is not believed: the lag is measured to
   * our first sight of the build instead, and flagged. Default 365 (core/compute-verdict.ts).
   */
  suspectTimeBeforeReleaseDays: z.number().positive().optional(),
  /**
   * When the mirror began (ISO date or time, e.g. "2023-07-10" for OpenELA): updates released before it are not
   * applicable unless the mirror has them — no "missing" and no alert for a time the mirror did not exist.
   */
  trackedFrom: z.iso
    .date()
    .or(z.iso.datetime({ offset: true }))
    .optional(),
});
export type VerdictPolicy = z.infer<typeof VerdictPolicy>;

/** Alert rules of one mirror (core/alerts). */
export const MirrorAlertPolicy = z.object({
  /** Per-update alerts (update_delayed, update_missing), grouped per mirror × major. */
  updateAlerts: z.boolean().default(true),
  /** "Stopped publishing" fires when at least this many updates released after the mirror's last publication are overdue. */
  stoppedMinOverdueUpdates: z.number().int().min(1).default(3),
  /** Overdue = older than this percentile of the mirror's own lag (learned from its history)… */
  stoppedLagPercentile: z.number().min(50).max(100).default(95),
  /** …over the updates it published in this many days before `now`… */
  stoppedHistoryDays: z.number().int().positive().default(90),
  /** …once at least this many are known; before that the mirror's expectedLagHours is used. */
  stoppedMinHistory: z.number().int().min(1).default(20),
  /** Never judge overdue sooner than this, however fast the mirror usually is. */
  stoppedMinLagHours: z.number().min(0).default(6),
  /**
   * "Partial stop" (a mirror that stops package by package while a few keep arriving) looks at the last this many
   * updates of a major that are past the normal lag (due by now), against the same number before them (its normal share).
   */
  partialStopWindow: z.number().int().min(2).max(1000).default(20),
  /** …and fires when the share it published of them falls below this fraction of its normal share… */
  partialStopRatio: z.number().gt(0).max(1).default(0.5),
  /** …provided its normal share is at least this: a mirror that never carried most updates has no normal to fall from. */
  partialStopMinNormalShare: z.number().min(0).max(1).default(0.8),
});
export type MirrorAlertPolicy = z.infer<typeof MirrorAlertPolicy>;

/** What every mirror has: identity, what it carries, thresholds, fetch policy. */
const MirrorBase = FetchPolicy.extend(VerdictPolicy.shape).extend({
  alerts: MirrorAlertPolicy.default(MirrorAlertPolicy.parse({})),
  id: Id,
  /** Display name, e.g. "git.centos.org". */
  name: z.string().min(1),
  majors: z.array(z.number().int().min(5).max(20)).min(1),
  streams: z.array(z.enum(RHEL_STREAMS)).min(1).default(["main"]),
  /**
   * exact: the mirror carries RHEL's own sources (or rebuilds of them).
   * related: it carries related builds (CentOS Stream) — a same-or-newer build there counts as
   * "related source available", never as the RHEL source unless the NVR is identical.
   */
  relation: z.enum(["exact", "related"]).default("exact"),
});

export const GitForgeMirrorConfig = MirrorBase.extend({
  kind: z.literal("git-forge"),
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
  /** HTTP statuses meaning "no such repository" (GitHub answers 401 for a missing public repository). */
  missingRepositoryStatuses: z.array(z.number().int().min(400).max(499)).default([404]),
});
export type GitForgeMirrorConfig = z.infer<typeof GitForgeMirrorConfig>;

/** A GitLab project per package, tags through API v4 (CentOS Stream on gitlab.com). */
export const GitLabMirrorConfig = MirrorBase.extend({
  kind: z.literal("gitlab"),
  /** e.g. https://gitlab.com/api/v4 */
  apiUrl: z.url(),
  /** Project path of one package; `{name}`, e.g. redhat/centos-stream/rpms/{name} */
  projectPathTemplate: z.string().includes("{name}"),
  /** Tag of a build; `{nvr}` (CentOS Stream tags are the bare NVR). */
  tagTemplate: z.string().includes("{nvr}"),
  /** Web page of a tag; `{name}`, `{tag}`. */
  tagWebUrlTemplate: z.string(),
  /** GitLab's unauthenticated budget: requests per minute to spend at most. */
  requestsPerMinute: z.number().int().positive().default(500),
});
export type GitLabMirrorConfig = z.infer<typeof GitLabMirrorConfig>;

/** Any yum repository: repomd.xml, then primary (and updateinfo for times) when its checksum changed. */
export const YumRepoMirrorConfig = MirrorBase.extend({
  kind: z.literal("yum-repo"),
  /** Repository roots (holding repodata/repomd.xml); `{major}` filled per configured major. */
  repoUrlTemplates: z.array(z.string().includes("{major}")).min(1),
});
export type YumRepoMirrorConfig = z.infer<typeof YumRepoMirrorConfig>;

/** A flat HTML directory index of SRPMs per major (Oracle's oss.oracle.com/olN/SRPMS-updates/). */
export const SrpmIndexMirrorConfig = MirrorBase.extend({
  kind: z.literal("srpm-index"),
  /** e.g. https://oss.oracle.com/ol{major}/SRPMS-updates/ */
  indexUrlTemplate: z.string().includes("{major}"),
});
export type SrpmIndexMirrorConfig = z.infer<typeof SrpmIndexMirrorConfig>;

/** AlmaLinux errata: errata.full.json per major; AlmaLinux's own time is updated_date. */
export const AlmaErrataMirrorConfig = MirrorBase.extend({
  kind: z.literal("almalinux-errata"),
  /** e.g. https://errata.almalinux.org/{major}/errata.full.json */
  errataUrlTemplate: z.string().includes("{major}"),
  /** Web page of an erratum; `{major}`, `{id}` (ALSA-2023:3722), `{idUnderscore}` (ALSA-2023_3722), `{idDash}` (ALSA-2023-3722). */
  erratumWebUrlTemplate: z.string(),
});
export type AlmaErrataMirrorConfig = z.infer<typeof AlmaErrataMirrorConfig>;

/** Rocky Linux errata from Apollo v3; published_at is Rocky's time. */
export const RockyApolloMirrorConfig = MirrorBase.extend({
  kind: z.literal("rocky-apollo"),
  /** e.g. https://apollo.build.resf.org/api/v3 */
  apiUrl: z.url(),
  pageSize: z.number().int().min(1).max(100).default(100),
  /** Web page of an erratum; `{id}` (RLSA-2023:3722), `{idUnderscore}`. */
  erratumWebUrlTemplate: z.string(),
});
export type RockyApolloMirrorConfig = z.infer<typeof RockyApolloMirrorConfig>;

export const MirrorConfig = z.discriminatedUnion("kind", [
  GitForgeMirrorConfig,
  GitLabMirrorConfig,
  YumRepoMirrorConfig,
  SrpmIndexMirrorConfig,
  AlmaErrataMirrorConfig,
  RockyApolloMirrorConfig,
]);
export type MirrorConfig = z.infer<typeof MirrorConfig>;
export type MirrorKind = MirrorConfig["kind"];

/** Where notifications go and how often. Secrets come from the environment, never from this file. */
export const NotificationsConfig = z.object({
  /** Absolute origin of the dashboard, for links in mails, feeds and webhooks. */
  publicUrl: z.url().default("http://localhost:3000"),
  /** Absent: no email (the subscribe page says so and accepts nothing). */
  email: z
    .object({
      smtp: z.object({
        host: z.string().min(1),
        port: z.number().int().min(1).max(65535).default(587),
        /** true: TLS from the first byte (port 465); false: STARTTLS when the server offers it. */
        secure: z.boolean().default(false),
        /** Refuse to send unless the connection is upgraded with STARTTLS. */
        requireTls: z.boolean().default(false),
        user: z.string().min(1).optional(),
        /** Name of the environment variable holding the SMTP password. */
        passwordEnv: z
          .string()
          .regex(/^[A-Z_][A-Z0-9_]*$/)
          .default("SRCWATCH_SMTP_PASSWORD"),
        /** Verify the server's certificate (turn off only for a test server). */
        rejectUnauthorized: z.boolean().default(true),
        connectionTimeoutMs: z.number().int().positive().default(15_000),
      }),
      /** e.g. "srcwatch <alerts@example.org>" */
      from: z.string().min(3),
    })
    .optional(),
  /** Hour of the day (UTC) daily digests go out. */
  digestHourUtc: z.number().int().min(0).max(23).default(7),
  /** A growing alert is notified again at most this often. */
  groupIntervalMinutes: z.number().int().min(0).default(60),
  /** A firing alert is re-notified this often (0 = never). */
  repeatIntervalHours: z.number().min(0).default(24),
  delivery: z
    .object({
      maxAttempts: z.number().int().min(1).max(100).default(12),
      backoffBaseSeconds: z.number().int().min(1).default(60),
      backoffMaxSeconds: z
        .number()
        .int()
        .min(1)
        .default(6 * 3600),
      /** How long a worker's claim on a message lasts before another may take it over. */
      claimSeconds: z.number().int().min(5).default(120),
    })
    .default({ maxAttempts: 12, backoffBaseSeconds: 60, backoffMaxSeconds: 6 * 3600, claimSeconds: 120 }),
  /** Abuse limits of the public subscribe form. */
  limits: z
    .object({
      subscribeRequestsPerIpPerHour: z.number().int().min(1).default(10),
      confirmationMailsPerAddressPerDay: z.number().int().min(1).default(3),
    })
    .default({ subscribeRequestsPerIpPerHour: 10, confirmationMailsPerAddressPerDay: 3 }),
  webhooks: z
    .array(
      z.object({
        id: Id,
        url: z.url(),
        /** json: srcwatch's own payload; slack: Slack incoming-webhook; matrix: Matrix hookshot / m.room.message-like. */
        format: z.enum(["json", "slack", "matrix"]).default("json"),
        /** Name of the environment variable holding the HMAC secret (X-Srcwatch-Signature: sha256=…). */
        secretEnv: z
          .string()
          .regex(/^[A-Z_][A-Z0-9_]*$/)
          .optional(),
        /** Same shape as a subscription's scope; empty lists = everything. */
        scope: SubscriptionScope.default(SubscriptionScope.parse({})),
        timeoutMs: z.number().int().positive().default(10_000),
      }),
    )
    .default([]),
});
export type NotificationsConfig = z.infer<typeof NotificationsConfig>;

export const SrcwatchConfig = z
  .object({
    upstreams: z.array(UpstreamConfig).min(1),
    mirrors: z.array(MirrorConfig),
    notifications: NotificationsConfig.default(NotificationsConfig.parse({})),
    userAgent: z.string().default("srcwatch/0.1 (+https://github.com/srcwatch/srcwatch)"),
  })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    for (const [listName, list] of [
      ["upstreams", config.upstreams],
      ["mirrors", config.mirrors],
    ] as const) {
      list.forEach((item, index) => {
        if (seen.has(item.id)) ctx.addIssue({ code: "custom", path: [listName, index, "id"], message: `duplicate id "${item.id}"` });
        seen.add(item.id);
      });
    }
  });
export type SrcwatchConfig = z.infer<typeof SrcwatchConfig>;
