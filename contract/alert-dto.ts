import { z } from "zod";
import { csv, Instant } from "./common";
import { ALERT_EVENT_TYPES, ALERT_KINDS, ALERT_STATUSES } from "../core/alerts/types";

/** Shapes of /api/v1/alerts and /api/v1/silences, also what the alert pages and the Atom feed render. Instants are ISO strings. */

export const AlertKind = z
  .enum(ALERT_KINDS)
  .describe(
    "publishing_stopped: upstream kept releasing while the mirror published none, past its learned normal lag; partial_stop: the mirror " +
      "published far fewer of the last updates than it normally does, and some packages stopped arriving; update_missing / update_delayed: " +
      "updates of one RHEL major missing or delayed on the mirror; mirror_stale: srcwatch cannot poll the mirror (our outage, not the mirror's).",
  );
export type AlertKind = z.infer<typeof AlertKind>;

export const AlertStatus = z.enum(ALERT_STATUSES).describe("firing, or resolved (with resolvedAt).");
export type AlertStatus = z.infer<typeof AlertStatus>;

export const AlertEventType = z
  .enum(ALERT_EVENT_TYPES)
  .describe(
    "fired, grew / shrank (updates came or went), reminder, inhibited / uninhibited (folded into a publishing_stopped or partial_stop alert or no longer), resolved.",
  );
export type AlertEventType = z.infer<typeof AlertEventType>;

export const AlertItemDto = z
  .object({
    advisoryId: z.string(),
    advisoryUrl: z.string().describe("Red Hat's page of the advisory."),
    severity: z.string().nullable(),
    title: z.string().nullable(),
    issuedAt: Instant,
    major: z.number().int(),
    packages: z
      .array(z.object({ name: z.string(), nevra: z.string(), status: z.string(), since: Instant }))
      .describe(
        "The advisory's packages in the state the alert is about (for publishing_stopped and partial_stop: every unpublished one).",
      ),
    ageHours: z.number().describe("Hours from release to the evaluation."),
    publishedOn: z
      .array(z.object({ mirrorId: z.string(), mirrorName: z.string() }))
      .optional()
      .describe(
        "The other mirrors that had published this update when the alert was evaluated; absent for evidence stored before 2026-12.",
      ),
  })
  .describe("One upstream update (advisory × RHEL major) an alert is about.");
export type AlertItemDto = z.infer<typeof AlertItemDto>;

export const AlertStopDto = z
  .object({
    lastPublishedAt: Instant.describe("The mirror's last publication for this RHEL major."),
    normalLagHours: z.number().describe("Lag beyond which an unpublished update counts as overdue."),
    normalLagSource: z
      .enum(["learned", "configured"])
      .describe("learned from the mirror's own history, or the configured fallback while that history is short."),
    percentile: z.number().describe("The percentile of the mirror's lags normalLagHours was learned as."),
    historySize: z.number().int().min(0).describe("Publications the percentile was learned from."),
    releasedSinceCount: z.number().int().min(0).describe("Updates released since the last publication, none published."),
    overdueSinceCount: z.number().int().min(0).describe("Of those, the ones past normalLagHours."),
  })
  .describe("Why a mirror × major counts as stopped.");
export type AlertStopDto = z.infer<typeof AlertStopDto>;

export const AlertPartialStopDto = z
  .object({
    windowSize: z
      .number()
      .int()
      .min(1)
      .describe("The last updates of the RHEL major that are past the mirror's normal lag (they should be there by now)."),
    publishedInWindow: z.number().int().min(0).describe("Of those, the ones the mirror published."),
    baselineSize: z.number().int().min(0).describe("The updates before the window: the mirror's normal share."),
    publishedInBaseline: z.number().int().min(0).describe("Of those, the ones the mirror published."),
    normalLagHours: z
      .number()
      .min(0)
      .describe("The mirror's normal lag, which decides which updates are due (the same as publishing_stopped's)."),
    stoppedPackages: z
      .array(z.string())
      .describe("Package names in the window's unpublished updates that the mirror no longer publishes (sorted)."),
    keptPackages: z.array(z.string()).describe("Package names the mirror still published within the window (sorted)."),
  })
  .refine((value) => value.publishedInWindow <= value.windowSize, {
    message: "publishedInWindow cannot exceed windowSize",
    path: ["publishedInWindow"],
  })
  .refine((value) => value.publishedInBaseline <= value.baselineSize, {
    message: "publishedInBaseline cannot exceed baselineSize",
    path: ["publishedInBaseline"],
  })
  .describe(
    'Why a mirror × major counts as partly stopped: "published publishedInWindow of the last windowSize updates (normally publishedInBaseline of baselineSize)", ' +
      "computed once by the alert rule; pages, mail, webhooks and the Atom feed show these same numbers.",
  );
export type AlertPartialStopDto = z.infer<typeof AlertPartialStopDto>;

export const AlertStaleDto = z
  .object({
    lastSuccessAt: Instant.nullable(),
    staleAfterMinutes: z.number(),
    lastErrorKind: z.string().nullable(),
    lastErrorMessage: z.string().nullable(),
    consecutiveFailures: z.number().int().min(0),
  })
  .describe("Why srcwatch's data about a mirror is stale.");
export type AlertStaleDto = z.infer<typeof AlertStaleDto>;

export const AlertDetailsDto = z
  .object({
    mirrorId: z.string(),
    mirrorName: z.string(),
    major: z.number().int().nullable(),
    items: z.array(AlertItemDto),
    stop: AlertStopDto.nullable().describe("publishing_stopped only."),
    partialStop: AlertPartialStopDto.nullable().describe("partial_stop only."),
    stale: AlertStaleDto.nullable().describe("mirror_stale only."),
    publishedElsewhere: z
      .array(z.object({ mirrorId: z.string(), mirrorName: z.string(), count: z.number().int().min(1) }))
      .nullable()
      .describe(
        "The other mirrors that published some of the items, with how many, most first; null when the items do not say. " +
          "Computed once from items[].publishedOn; pages, mail, webhooks and the Atom feed show these same numbers.",
      ),
  })
  .describe("The evidence of an alert as last evaluated.");
export type AlertDetailsDto = z.infer<typeof AlertDetailsDto>;

export const AlertSummaryDto = z
  .object({
    id: z.number().int(),
    kind: AlertKind,
    kindLabel: z.string().describe('e.g. "Mirror stopped publishing".'),
    mirrorId: z.string(),
    mirrorName: z.string(),
    major: z.number().int().nullable().describe("RHEL major; null for mirror-wide alerts (mirror_stale)."),
    status: AlertStatus,
    severity: z.string().nullable().describe("Worst advisory severity among the alert's updates."),
    summary: z.string().describe("The conclusion, computed from the details it comes with (the same sentence as the mail's subject)."),
    startsAt: Instant,
    resolvedAt: Instant.nullable(),
    lastChangedAt: Instant,
    inhibitedById: z
      .number()
      .int()
      .nullable()
      .describe("The publishing_stopped or partial_stop alert this one is folded into while it fires; its events are not notified."),
    silenced: z.boolean().describe("A firing alert that an active silence matches now: listed, but not notified."),
    itemCount: z.number().int().min(0).describe("Updates the alert is about."),
    url: z.url().describe("The alert's page."),
  })
  .describe("One alert: a firing episode of one kind on one mirror × RHEL major.");
export type AlertSummaryDto = z.infer<typeof AlertSummaryDto>;

export const DeliveryCountsDto = z.object({
  sent: z.number().int().min(0).describe("Delivered (a digest's bundled rows count as sent)."),
  waiting: z.number().int().min(0).describe("Queued, being sent, or held for a daily digest."),
  failed: z.number().int().min(0).describe("Gave up after retries, or cancelled (the subscriber left)."),
});
export type DeliveryCountsDto = z.infer<typeof DeliveryCountsDto>;

export const AlertEventDto = z
  .object({
    id: z.number().int(),
    type: AlertEventType,
    at: Instant,
    notified: z.boolean().describe("Whether notifications were queued for it."),
    quietReason: z
      .string()
      .nullable()
      .describe("Why not: inhibited, silenced:<silence id>, group_interval, notified_before / not_notified_before."),
    added: z.array(z.string()).describe("grew: advisory ids that came."),
    removed: z.array(z.string()).describe("shrank: advisory ids that went."),
    deliveries: z
      .object({ email: DeliveryCountsDto, webhook: DeliveryCountsDto })
      .describe("The notifications of this event per channel, as they stand: what was actually sent, what waits, what failed."),
  })
  .describe("One step of an alert's timeline.");
export type AlertEventDto = z.infer<typeof AlertEventDto>;

export const SilenceMatchersDto = z
  .object({
    mirrorId: z.string().optional(),
    major: z.number().int().optional(),
    kind: AlertKind.optional(),
  })
  .describe("Every matcher given must match; one left out matches anything.");
export type SilenceMatchersDto = z.infer<typeof SilenceMatchersDto>;

export const SilenceDto = z
  .object({
    id: z.number().int(),
    matchers: SilenceMatchersDto,
    startsAt: Instant,
    endsAt: Instant,
    author: z.string(),
    comment: z.string(),
    createdAt: Instant,
    state: z.enum(["pending", "active", "expired"]),
  })
  .describe("Keeps matching alerts quiet from startsAt until endsAt: they still fire and are listed.");
export type SilenceDto = z.infer<typeof SilenceDto>;

export const AlertDetailDto = AlertSummaryDto.extend({
  details: AlertDetailsDto,
  events: z.array(AlertEventDto).describe("Oldest first."),
  activeSilences: z.array(SilenceDto).describe("Active silences matching the alert now (firing alerts only)."),
}).describe("One alert with its evidence and timeline.");
export type AlertDetailDto = z.infer<typeof AlertDetailDto>;

export const AlertDetailResponse = z
  .object({
    now: Instant.describe("The instant the answer was computed for."),
    alert: AlertDetailDto,
  })
  .describe("One alert with its evidence and timeline.");
export type AlertDetailResponse = z.infer<typeof AlertDetailResponse>;

export const AlertListResponse = z
  .object({
    now: Instant.describe("The instant the answer was computed for."),
    items: z.array(AlertSummaryDto).describe("Firing alerts first, then newest first."),
    page: z.number().int().min(1),
    pageSize: z.number().int().min(1),
    total: z.number().int().min(0).describe("Alerts matching the filters, over all pages."),
    firingCount: z.number().int().min(0).describe("Firing alerts matching the filters other than status."),
  })
  .describe("One page of alerts matching the filters.");
export type AlertListResponse = z.infer<typeof AlertListResponse>;

export const SilenceListResponse = z
  .object({
    now: Instant.describe("The instant the answer was computed for."),
    items: z.array(SilenceDto).describe("Newest first."),
  })
  .describe("Silences, newest first.");
export type SilenceListResponse = z.infer<typeof SilenceListResponse>;

export const SilenceResponse = z
  .object({
    now: Instant.describe("The instant the answer was computed for."),
    silence: SilenceDto,
  })
  .describe("One silence.");
export type SilenceResponse = z.infer<typeof SilenceResponse>;

const MirrorId = z
  .string()
  .max(100)
  .regex(/^[a-z0-9][a-z0-9.-]*$/, "a mirror id: lower-case letters, digits, dots and dashes");

export const ALERT_STATUS_FILTERS = ["firing", "resolved", "all"] as const;

/** Filters of the alerts list, from a URL query string (API and page share it). */
export const AlertListQuery = z.object({
  status: z.enum(ALERT_STATUS_FILTERS).default("all"),
  mirror: csv(MirrorId).optional().describe("Mirror ids."),
  major: csv(z.coerce.number().int().min(1).max(99))
    .optional()
    .describe("RHEL majors, e.g. 8,9. Mirror-wide alerts (mirror_stale) match any major."),
  kind: csv(z.enum(ALERT_KINDS)).optional(),
  since: z.iso.datetime({ offset: true }).optional().describe("Alerts still firing at or resolved after this instant."),
  until: z.iso.datetime({ offset: true }).optional().describe("Alerts that started at or before this instant."),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type AlertListQuery = z.infer<typeof AlertListQuery>;

export const FEED_STATUS_FILTERS = ["firing", "resolved"] as const;

/** Filters of the alerts Atom feed. */
export const AlertFeedQuery = z.object({
  mirror: csv(MirrorId).optional(),
  major: csv(z.coerce.number().int().min(1).max(99)).optional(),
  kind: csv(z.enum(ALERT_KINDS)).optional(),
  status: z.enum(FEED_STATUS_FILTERS).optional().describe("firing: FIRING entries only; resolved: RESOLVED entries only."),
});
export type AlertFeedQuery = z.infer<typeof AlertFeedQuery>;

export const SILENCE_STATE_FILTERS = ["pending", "active", "expired"] as const;

export const SilenceListQuery = z.object({
  state: z.enum(SILENCE_STATE_FILTERS).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type SilenceListQuery = z.infer<typeof SilenceListQuery>;
