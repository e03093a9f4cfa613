import { z } from "zod";
import { compileGlob, type GlobMatcher, type GlobStepCounter } from "./match-glob";
import { ADVISORY_SEVERITIES, ALERT_KINDS, type AlertDetails, type AlertItem, type AlertKind } from "./types";

const MAX_PACKAGE_PATTERNS = 20;
const MAX_PACKAGE_PATTERN_LENGTH = 100;

/** A package name pattern: letters, digits, . _ + - and the wildcards * and ?. */
export const PackagePattern = z
  .string()
  .trim()
  .min(1)
  .max(MAX_PACKAGE_PATTERN_LENGTH)
  .regex(/^[A-Za-z0-9._+*?-]+$/, "package patterns may hold letters, digits, . _ + - and the wildcards * and ?");

/** What a subscriber (or a webhook) wants to hear about. An empty list means "all". */
export const SubscriptionScope = z.object({
  mirrors: z.array(z.string().regex(/^[a-z0-9][a-z0-9.-]*$/).max(100)).max(50).default([]),
  majors: z.array(z.number().int().min(5).max(20)).max(16).default([]),
  kinds: z.array(z.enum(ALERT_KINDS)).min(1, "choose at least one kind of alert").default(["publishing_stopped", "partial_stop", "update_missing", "mirror_stale"]),
  /** Advisory severities of per-update alerts; mirror-wide alerts ignore it. */
  severities: z.array(z.enum(ADVISORY_SEVERITIES)).max(4).default([]),
  /** Package name patterns of per-update alerts; mirror-wide alerts ignore it. */
  packagePatterns: z.array(PackagePattern).max(MAX_PACKAGE_PATTERNS).default([]),
});
export type SubscriptionScope = z.infer<typeof SubscriptionScope>;

export interface ScopeSubject {
  kind: AlertKind;
  mirrorId: string;
  major: number | null;
  details: Pick<AlertDetails, "items">;
}

/**
 * Does an alert concern this scope? Returns the advisory ids of the alert's updates the scope keeps
 * (per-update alerts filter by severity and package pattern), `[]` for a matching mirror-wide alert,
 * or null when it does not concern the scope at all. Patterns never backtrack (match-glob.ts): the work is at most
 * 20 patterns × 101 × (name length + 1) steps per package name, whatever a subscriber typed.
 */
export function matchScope(scope: SubscriptionScope, subject: ScopeSubject, counter?: GlobStepCounter): string[] | null {
  if (!scope.kinds.includes(subject.kind)) return null;
  if (scope.mirrors.length > 0 && !scope.mirrors.includes(subject.mirrorId)) return null;
  if (scope.majors.length > 0 && subject.major !== null && !scope.majors.includes(subject.major)) return null;
  if (subject.kind !== "update_delayed" && subject.kind !== "update_missing") return [];
  const patterns = scope.packagePatterns.map(compileGlob);
  const kept = subject.details.items.filter((item) => itemMatches(item, scope.severities, patterns, counter));
  return kept.length > 0 ? kept.map((item) => item.advisoryId) : null;
}

function itemMatches(item: AlertItem, severities: readonly string[], patterns: readonly GlobMatcher[], counter: GlobStepCounter | undefined): boolean {
  if (severities.length > 0 && (item.severity === null || !severities.includes(item.severity))) return false;
  if (patterns.length > 0 && !item.packages.some((pkg) => patterns.some((matches) => matches(pkg.name, counter)))) return false;
  return true;
}
