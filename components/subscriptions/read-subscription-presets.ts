import { SUBSCRIPTION_REMINDERS, type SubscriptionReminders } from "@/core/notifications/reminders";
import { SubscriptionScope } from "@/core/alerts/subscription-scope";
import { ADVISORY_SEVERITIES, ALERT_KINDS } from "@/core/alerts/types";

type SearchParams = Record<string, string | string[] | undefined>;

function listOf(params: SearchParams, name: string): string[] {
  const value = params[name];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value])
    .flatMap((item) => item.split(","))
    .map((item) => item.trim())
    .filter(Boolean);
}

/**
 * The subscribe form's preset from the query string, so other pages can deep-link
 * (`/subscribe?mirror=git.centos.org&major=8`). Values this server does not know are left out, never an error.
 */
export function readSubscriptionPresets(
  params: SearchParams,
  known: { mirrorIds: string[]; majors: number[] },
): { scope: SubscriptionScope; delivery: "immediate" | "daily"; reminders: SubscriptionReminders } {
  const defaults = SubscriptionScope.parse({});
  const kinds = listOf(params, "kind").filter((kind): kind is SubscriptionScope["kinds"][number] =>
    (ALERT_KINDS as readonly string[]).includes(kind),
  );
  return {
    scope: {
      mirrors: listOf(params, "mirror").filter((id) => known.mirrorIds.includes(id)),
      majors: listOf(params, "major")
        .map(Number)
        .filter((major) => known.majors.includes(major)),
      kinds: kinds.length > 0 ? kinds : defaults.kinds,
      severities: listOf(params, "severity").filter((severity): severity is SubscriptionScope["severities"][number] =>
        (ADVISORY_SEVERITIES as readonly string[]).includes(severity),
      ),
      packagePatterns: listOf(params, "package")
        .filter((pattern) => /^[A-Za-z0-9._+*?-]{1,100}$/.test(pattern))
        .slice(0, 20),
    },
    delivery: listOf(params, "delivery")[0] === "daily" ? "daily" : "immediate",
    reminders: SUBSCRIPTION_REMINDERS.find((value) => value === listOf(params, "reminders")[0]) ?? "daily",
  };
}
