import type { SubscriptionScope } from "../subscription-scope";
import { compileGlob, type GlobMatcher, type GlobStepCounter } from "./match-glob";
import type { AlertDetails, AlertItem, AlertKind } from "./types";

// The schema and its codec live in core/subscription-scope.ts, below core/config.ts (webhook scopes) and this area.
// Re-exported so the UI, the contract and the tests keep one import for a scope and its matching.
export {
  PackagePattern,
  SubscriptionScope,
  decodeSubscriptionScope,
  encodeSubscriptionScope,
  safeDecodeSubscriptionScope,
} from "../subscription-scope";

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

function itemMatches(
  item: AlertItem,
  severities: readonly string[],
  patterns: readonly GlobMatcher[],
  counter: GlobStepCounter | undefined,
): boolean {
  if (severities.length > 0 && (item.severity === null || !severities.includes(item.severity))) return false;
  if (patterns.length > 0 && !item.packages.some((pkg) => patterns.some((matches) => matches(pkg.name, counter)))) return false;
  return true;
}
