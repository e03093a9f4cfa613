// The words an alert scope is written in. They sit below core/alerts/ and core/config.ts alike: the config file's
// webhook scopes use them, and core/alerts/ imports the config.

/** The alert kinds, in the order pages list them. */
export const ALERT_KINDS = ["publishing_stopped", "partial_stop", "update_missing", "update_delayed", "mirror_stale"] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** Advisory severities, worst first (the order scopes and pages list them). */
export const ADVISORY_SEVERITIES = ["Critical", "Important", "Moderate", "Low"] as const;
export type AdvisorySeverity = (typeof ADVISORY_SEVERITIES)[number];

const SEVERITY_RANK = new Map<string, number>(ADVISORY_SEVERITIES.map((severity, index) => [severity, index]));

/** 0 for Critical … 3 for Low; a missing or unknown severity ranks after every known one. */
export function rankSeverity(severity: string | null): number {
  return SEVERITY_RANK.get(severity ?? "") ?? ADVISORY_SEVERITIES.length;
}
