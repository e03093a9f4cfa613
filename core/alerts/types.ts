/** The alert kinds, in the order pages list them. */
export const ALERT_KINDS = ["publishing_stopped", "partial_stop", "update_missing", "update_delayed", "mirror_stale"] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

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

export const ADVISORY_SEVERITIES = ["Critical", "Important", "Moderate", "Low"] as const;
export type AdvisorySeverity = (typeof ADVISORY_SEVERITIES)[number];

/** One upstream update (advisory × major) an alert is about, with the packages that are not on the mirror. */
export interface AlertItem {
  advisoryId: string;
  /** Red Hat's page of the advisory. */
  advisoryUrl: string;
  severity: string | null;
  title: string | null;
  /** ISO time Red Hat released it. */
  issuedAt: string;
  major: number;
  packages: { name: string; nevra: string; status: string; since: string }[];
  /** Hours from release to the evaluation. */
  ageHours: number;
}

/** The evidence an alert carries (Alert.details / AlertEvent.details), as JSON. */
export interface AlertDetails {
  mirrorId: string;
  mirrorName: string;
  major: number | null;
  /**
   * Updates the alert is about (update_*: the overdue ones; publishing_stopped: those released since the stop;
   * partial_stop: the window's unpublished ones).
   */
  items: AlertItem[];
  /** publishing_stopped only. */
  stop?: {
    /** The mirror's last publication for this major (ISO). */
    lastPublishedAt: string;
    /** Lag that counts as overdue, learned from the mirror's history (or the configured fallback). */
    normalLagHours: number;
    /** How normalLagHours was obtained. */
    normalLagSource: "learned" | "configured";
    percentile: number;
    /** Published updates the percentile was learned from. */
    historySize: number;
    releasedSinceCount: number;
    overdueSinceCount: number;
  };
  /** partial_stop only: the share of the last upstream updates the mirror published, against its own normal share. */
  partialStop?: {
    /** The last `windowSize` updates of the major that are past the mirror's normal lag (should be there by now)… */
    windowSize: number;
    /** …of which the mirror published this many. */
    publishedInWindow: number;
    /** The `baselineSize` updates before them: the mirror's normal share. */
    baselineSize: number;
    publishedInBaseline: number;
    /** The normal lag that decides which updates are due (the same as publishing_stopped's). */
    normalLagHours: number;
    /** Package names in the window's unpublished updates that the mirror no longer publishes (sorted). */
    stoppedPackages: string[];
    /** Package names the mirror still published within the window (sorted). */
    keptPackages: string[];
  };
  /** mirror_stale only. */
  stale?: {
    lastSuccessAt: string | null;
    staleAfterMinutes: number;
    lastErrorKind: string | null;
    lastErrorMessage: string | null;
    consecutiveFailures: number;
  };
  /** grew / shrank events: advisory ids that came or went. */
  added?: string[];
  removed?: string[];
}

export function alertDedupeKey(kind: AlertKind, mirrorId: string, major: number | null): string {
  return `${kind}/${mirrorId}/${major ?? "all"}`;
}
