import { z } from "zod";
import { ADVISORY_TYPES, SEVERITIES, VERDICT_STATUSES } from "../core/types";
import { Instant, Seconds, csv } from "./common";
import { LagPrecisionSeconds, LagTimeOrigin, PackageVerdictDto, VerdictStatus, VerdictStatusReason } from "./verdict-dto";

/** Advisories: the updates list and one advisory's page. */

export const AdvisoryMirrorStatus = z
  .object({
    mirrorId: z.string(),
    status: VerdictStatus,
    statusReason: VerdictStatusReason.nullable().describe(
      "Why the worst verdict is unknown (stale before not_checked) or not_applicable (before_tracked_from before not_carried); null otherwise.",
    ),
    lagSeconds: Seconds.nullable().describe(
      "Largest lag among the published packages, seconds; null when none is published, or when one of them was published before tracking (no lag).",
    ),
    lagTimeOrigin: LagTimeOrigin.nullable().describe(
      "Where the time of `lagSeconds` comes from (its slowest package's); before_tracking when a published package has no lag; null when none is published.",
    ),
    lagPrecisionSeconds: LagPrecisionSeconds,
  })
  .describe("An advisory's status on one mirror: the worst verdict among its packages there.");
export type AdvisoryMirrorStatus = z.infer<typeof AdvisoryMirrorStatus>;

export const AdvisoryListItem = z
  .object({
    id: z.string().describe('e.g. "RHSA-2023:3722".'),
    type: z.string().describe(`One of ${ADVISORY_TYPES.join(", ")}.`),
    severity: z
      .string()
      .nullable()
      .describe(`One of ${SEVERITIES.join(", ")}; null for most non-security advisories.`),
    title: z.string().nullable(),
    issuedAt: Instant.describe("The advisory's initial release date."),
    url: z.url(),
    majors: z.array(z.number().int()),
    packages: z.array(z.string()).describe('NEVRA strings, e.g. "bash-0:4.4.20-4.el8_6".'),
    statuses: z.array(AdvisoryMirrorStatus),
  })
  .describe("One advisory in the updates list.");
export type AdvisoryListItem = z.infer<typeof AdvisoryListItem>;

export const AdvisoryListResponse = z
  .object({
    now: Instant.describe("The instant the answer was computed for."),
    items: z.array(AdvisoryListItem),
    page: z.number().int().min(1),
    pageSize: z.number().int().min(1),
    total: z.number().int().min(0).describe("Advisories matching the filters, over all pages."),
    mirrors: z.array(z.object({ id: z.string(), name: z.string() })).describe("The mirrors `statuses` refer to."),
  })
  .describe("One page of advisories matching the filters.");
export type AdvisoryListResponse = z.infer<typeof AdvisoryListResponse>;

export const AdvisoryPackageDto = z
  .object({
    nevra: z.string(),
    name: z.string(),
    epoch: z.number().int().min(0),
    version: z.string(),
    release: z.string(),
    major: z.number().int(),
    stream: z.string().describe("main, EUS, AUS, E4S, TUS or ELS."),
    minor: z.string().nullable().describe('RHEL minor, e.g. "8.8"; null when the source does not say.'),
    moduleStream: z.string().nullable().describe('e.g. "ruby:3.1"; null when not modular.'),
    verdicts: z.array(PackageVerdictDto),
  })
  .describe("A source package the advisory shipped, for one RHEL major and stream.");
export type AdvisoryPackageDto = z.infer<typeof AdvisoryPackageDto>;

export const AdvisoryDetailResponse = z
  .object({
    now: Instant.describe("The instant the answer was computed for."),
    advisory: z.object({
      id: z.string(),
      type: z.string().describe(`One of ${ADVISORY_TYPES.join(", ")}.`),
      severity: z.string().nullable(),
      title: z.string().nullable(),
      issuedAt: Instant,
      updatedAt: Instant,
      url: z.url(),
      cves: z.array(z.string()),
    }),
    packages: z.array(AdvisoryPackageDto),
  })
  .describe("One advisory with every package's verdict on every mirror.");
export type AdvisoryDetailResponse = z.infer<typeof AdvisoryDetailResponse>;

export const ADVISORY_SORTS = ["issuedAt", "id"] as const;

/** Filters of the updates list, from a URL query string (API and page share it). */
export const AdvisoryListQuery = z.object({
  verdict: csv(z.enum(VERDICT_STATUSES))
    .optional()
    .describe("Advisories with a package (of `major`, when given) whose verdict on `mirror` (any mirror when absent) is one of these."),
  mirror: csv(z.string().min(1)).optional().describe("Mirror ids `verdict` applies to."),
  notApplicable: z
    .enum(["hide", "show"])
    .default("hide")
    .describe(
      "With `mirror` and no `verdict`: leave out (hide, the default) or keep (show) the updates not applicable on every one of those mirrors — " +
        "a stream they do not carry (EUS, AUS, TUS, E4S), or released before they were tracked.",
    ),
  major: csv(z.coerce.number().int().min(1).max(99)).optional().describe("RHEL majors, e.g. 8,9."),
  severity: csv(z.enum(SEVERITIES)).optional(),
  type: csv(z.enum(ADVISORY_TYPES)).optional(),
  q: z.string().trim().max(200).optional().describe("Part of an advisory id, CVE id or package name."),
  sort: z.enum(ADVISORY_SORTS).default("issuedAt"),
  order: z.enum(["asc", "desc"]).default("desc"),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type AdvisoryListQuery = z.infer<typeof AdvisoryListQuery>;

/**
 * A mirror filter without a verdict filter leaves out, unless asked to show them, the updates that mirror does not carry:
 * most of a mirror's n/a rows are streams it never builds (EUS, AUS, TUS, E4S), noise beside what it does carry.
 */
export function isHidingNotApplicable(query: Pick<AdvisoryListQuery, "mirror" | "verdict" | "notApplicable">): boolean {
  return Boolean(query.mirror) && !query.verdict && query.notApplicable === "hide";
}
