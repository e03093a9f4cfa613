// The words an alert scope is written in. They sit below core/alerts/ and core/config.ts alike: the config file's
// webhook scopes use them, and core/alerts/ imports the config.

/** The alert kinds, in the order pages list them. */
export const ALERT_KINDS = ["publishing_stopped", "partial_stop", "update_missing", "update_delayed", "mirror_stale"] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** Advisory severities, worst first (the order scopes and pages list them). */
export const ADVISORY_SEVERITIES = ["Critical", "Important", "Moderate", "Low"] as const;
export type AdvisorySeverity = (typeof ADVISORY_SEVERITIES)[number];
