import { z } from "zod";
import { ADVISORY_SEVERITIES, ALERT_KINDS } from "./alert-kinds";
import { decodeStoredJson, encodeStoredJson, safeDecodeStoredJson } from "./stored-json";

const MAX_PACKAGE_PATTERNS = 20;
const MAX_PACKAGE_PATTERN_LENGTH = 100;

/** A package name pattern: letters, digits, . _ + - and the wildcards * and ?. */
export const PackagePattern = z
  .string()
  .trim()
  .min(1)
  .max(MAX_PACKAGE_PATTERN_LENGTH)
  .regex(/^[A-Za-z0-9._+*?-]+$/, "package patterns may hold letters, digits, . _ + - and the wildcards * and ?");

/**
 * What a subscriber (or a webhook of the config file) wants to hear about. An empty list means "all".
 * Stored as Subscription.scope; matched by core/alerts/subscription-scope.ts.
 */
export const SubscriptionScope = z.object({
  mirrors: z
    .array(
      z
        .string()
        .regex(/^[a-z0-9][a-z0-9.-]*$/)
        .max(100),
    )
    .max(50)
    .default([]),
  majors: z.array(z.number().int().min(5).max(20)).max(16).default([]),
  kinds: z
    .array(z.enum(ALERT_KINDS))
    .min(1, "choose at least one kind of alert")
    .default(["publishing_stopped", "partial_stop", "update_missing", "mirror_stale"]),
  /** Advisory severities of per-update alerts; mirror-wide alerts ignore it. */
  severities: z.array(z.enum(ADVISORY_SEVERITIES)).max(4).default([]),
  /** Package name patterns of per-update alerts; mirror-wide alerts ignore it. */
  packagePatterns: z.array(PackagePattern).max(MAX_PACKAGE_PATTERNS).default([]),
});
export type SubscriptionScope = z.infer<typeof SubscriptionScope>;

const COLUMN = "Subscription.scope";

export function encodeSubscriptionScope(scope: z.input<typeof SubscriptionScope>): string {
  return encodeStoredJson(SubscriptionScope, "SubscriptionScope", scope, { column: COLUMN });
}

/** A stored scope; omitted lists read as their defaults (rows written before a field existed). */
export function decodeSubscriptionScope(text: string, subscriptionId: number): SubscriptionScope {
  return decodeStoredJson(SubscriptionScope, "SubscriptionScope", text, { column: COLUMN, rowId: subscriptionId });
}

/** A stored scope, or null when it no longer parses (e.g. it names a kind since removed). */
export function safeDecodeSubscriptionScope(text: string): SubscriptionScope | null {
  return safeDecodeStoredJson(SubscriptionScope, text);
}
