import { z } from "zod";
import type { AlertKind } from "../alert-kinds";

// The kinds and severities live below this area (core/config.ts needs them for webhook scopes); re-exported here,
// next to the rest of the alert vocabulary, so every layer keeps importing them from one place.
export { ADVISORY_SEVERITIES, ALERT_KINDS, type AdvisorySeverity, type AlertKind } from "../alert-kinds";

export const ALERT_KIND_LABELS: Record<AlertKind, string> = {
  publishing_stopped: "Mirror stopped publishing",
  partial_stop: "Mirror stopped some packages",
  update_missing: "Updates missing",
  update_delayed: "Updates delayed",
  mirror_stale: "Mirror data stale",
};

export const ALERT_STATUSES = ["firing", "resolved"] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export const ALERT_EVENT_TYPES = ["fired", "grew", "shrank", "reminder", "inhibited", "uninhibited", "resolved"] as const;
export type AlertEventType = (typeof ALERT_EVENT_TYPES)[number];

/** One upstream update (advisory × major) an alert is about, with the packages that are not on the mirror. */
export const AlertItem = z.object({
  advisoryId: z.string(),
  /** Red Hat's page of the advisory. */
  advisoryUrl: z.string(),
  severity: z.string().nullable(),
  title: z.string().nullable(),
  /** ISO time Red Hat released it. */
  issuedAt: z.string(),
  major: z.number().int(),
  packages: z.array(z.object({ name: z.string(), nevra: z.string(), status: z.string(), since: z.string() })),
  /** Hours from release to the evaluation. */
  ageHours: z.number(),
  /**
   * The other mirrors that had published this update (advisory × major) when the alert was evaluated; absent in details
   * stored before srcwatch looked.
   */
  publishedOn: z.array(z.object({ mirrorId: z.string(), mirrorName: z.string() })).optional(),
});
export type AlertItem = z.infer<typeof AlertItem>;

/** publishing_stopped only. */
export const AlertStopEvidence = z.object({
  /** The mirror's last publication for this major (ISO). */
  lastPublishedAt: z.string(),
  /** Lag that counts as overdue, learned from the mirror's history (or the configured fallback). */
  normalLagHours: z.number(),
  /** How normalLagHours was obtained. */
  normalLagSource: z.enum(["learned", "configured"]),
  percentile: z.number(),
  /** Published updates the percentile was learned from. */
  historySize: z.number().int(),
  releasedSinceCount: z.number().int(),
  overdueSinceCount: z.number().int(),
});

/** partial_stop only: the share of the last upstream updates the mirror published, against its own normal share. */
export const AlertPartialStopEvidence = z.object({
  /** The last `windowSize` updates of the major that are past the mirror's normal lag (should be there by now)… */
  windowSize: z.number().int(),
  /** …of which the mirror published this many. */
  publishedInWindow: z.number().int(),
  /** The `baselineSize` updates before them: the mirror's normal share. */
  baselineSize: z.number().int(),
  publishedInBaseline: z.number().int(),
  /** The normal lag that decides which updates are due (the same as publishing_stopped's). */
  normalLagHours: z.number(),
  /** Package names in the window's unpublished updates that the mirror no longer publishes (sorted). */
  stoppedPackages: z.array(z.string()),
  /** Package names the mirror still published within the window (sorted). */
  keptPackages: z.array(z.string()),
});

/** mirror_stale only. */
export const AlertStaleEvidence = z.object({
  lastSuccessAt: z.string().nullable(),
  staleAfterMinutes: z.number(),
  lastErrorKind: z.string().nullable(),
  lastErrorMessage: z.string().nullable(),
  consecutiveFailures: z.number().int(),
});

/** The evidence an alert carries (Alert.details / AlertEvent.details; codec: alert-details-codec.ts). */
export const AlertDetails = z.object({
  mirrorId: z.string(),
  mirrorName: z.string(),
  major: z.number().int().nullable(),
  /**
   * Updates the alert is about (update_*: the overdue ones; publishing_stopped: those released since the stop;
   * partial_stop: the window's unpublished ones).
   */
  items: z.array(AlertItem),
  stop: AlertStopEvidence.optional(),
  partialStop: AlertPartialStopEvidence.optional(),
  stale: AlertStaleEvidence.optional(),
  /** grew / shrank events: advisory ids that came or went. */
  added: z.array(z.string()).optional(),
  removed: z.array(z.string()).optional(),
});
export type AlertDetails = z.infer<typeof AlertDetails>;

export function alertDedupeKey(kind: AlertKind, mirrorId: string, major: number | null): string {
  return `${kind}/${mirrorId}/${major ?? "all"}`;
}
