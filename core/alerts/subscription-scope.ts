import { z } from "zod";
import { ADVISORY_SEVERITIES, ALERT_KINDS, type AlertDetails, type AlertItem, type AlertKind } from "./types";

/** A package name pattern: letters, digits, . _ + - and the wildcards * and ?. */
export const PackagePattern = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9._+*?-]+$/, "package patterns may hold letters, digits, . _ + - and the wildcards * and ?");

/** What a subscriber (or a webhook) wants to hear about. An empty list means "all". */
export const SubscriptionScope = z.object({
  mirrors: z.array(z.string().regex(/^[a-z0-9][a-z0-9.-]*$/).max(100)).max(50).default([]),
  majors: z.array(z.number().int().min(5).max(20)).max(16).default([]),
  kinds: z.array(z.enum(ALERT_KINDS)).min(1, "choose at least one kind of alert").default(["publishing_stopped", "update_missing", "mirror_stale"]),
  /** Advisory severities of per-update alerts; mirror-wide alerts ignore it. */
  severities: z.array(z.enum(ADVISORY_SEVERITIES)).max(4).default([]),
  /** Package name patterns of per-update alerts; mirror-wide alerts ignore it. */
  packagePatterns: z.array(PackagePattern).max(20).default([]),
});
export type SubscriptionScope = z.infer<typeof SubscriptionScope>;

/** Glob (* and ?) → anchored case-sensitive RegExp. */
export function compilePackagePattern(pattern: string): RegExp {
  const source = pattern.replace(/[.+\-]/g, (c) => `\\${c}`).replaceAll("*", ".*").replaceAll("?", ".");
  return new RegExp(`^${source}$`);
}

export interface ScopeSubject {
  kind: AlertKind;
  mirrorId: string;
  major: number | null;
  details: Pick<AlertDetails, "items">;
}

/**
 * Does an alert concern this scope? Returns the advisory ids of the alert's updates the scope keeps
 * (per-update alerts filter by severity and package pattern), `[]` for a matching mirror-wide alert,
 * or null when it does not concern the scope at all.
 */
export function matchScope(scope: SubscriptionScope, subject: ScopeSubject): string[] | null {
  if (!scope.kinds.includes(subject.kind)) return null;
  if (scope.mirrors.length > 0 && !scope.mirrors.includes(subject.mirrorId)) return null;
  if (scope.majors.length > 0 && subject.major !== null && !scope.majors.includes(subject.major)) return null;
  if (subject.kind !== "update_delayed" && subject.kind !== "update_missing") return [];
  const patterns = scope.packagePatterns.map(compilePackagePattern);
  const kept = subject.details.items.filter((item) => itemMatches(item, scope.severities, patterns));
  return kept.length > 0 ? kept.map((item) => item.advisoryId) : null;
}

function itemMatches(item: AlertItem, severities: readonly string[], patterns: readonly RegExp[]): boolean {
  if (severities.length > 0 && (item.severity === null || !severities.includes(item.severity))) return false;
  if (patterns.length > 0 && !item.packages.some((pkg) => patterns.some((pattern) => pattern.test(pkg.name)))) return false;
  return true;
}
