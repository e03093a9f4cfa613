import type { AlertKind } from "@/core/alerts/types";

/** One line per alert kind for the subscription forms. */
export const ALERT_KIND_DESCRIPTIONS: Record<AlertKind, string> = {
  publishing_stopped: "Red Hat kept releasing updates while the mirror published none of them, for longer than its usual lag.",
  partial_stop:
    "The mirror still publishes, but far fewer of Red Hat's recent updates than it normally does: some packages stopped arriving (named in the alert).",
  update_missing: "Updates whose sources never reached the mirror within the missing threshold (grouped per mirror and RHEL major).",
  update_delayed: "Updates that reach the mirror later than expected but are not missing yet.",
  mirror_stale: "srcwatch cannot poll the mirror: its data is out of date (our outage, not the mirror's).",
};
