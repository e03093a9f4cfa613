import { matchScope, SubscriptionScope, type ScopeSubject } from "../../core/alerts/subscription-scope";
import type { GlobStepCounter } from "../../core/alerts/match-glob";

/**
 * Package patterns a hostile subscriber may send (all valid, ≤ 100 characters). Translated into a backtracking
 * RegExp (`.*` per `*`), the first blocked the web server for 16 s against a name without an X; the longer ones never end.
 */
export const REDOS_PACKAGE_PATTERNS = [`${"*".repeat(32)}X`, `${"*".repeat(99)}X`, `${"*a".repeat(49)}*X`] as const;

/** Package names as RHEL advisories carry them. */
export const REALISTIC_PACKAGE_NAMES = [
  "kernel",
  "openssl",
  "glibc",
  "python3.11-setuptools",
  "xorg-x11-server-Xwayland",
  "NetworkManager-libreswan",
  "java-17-openjdk",
  "libstdc++",
] as const;

/** The steps a scope's package patterns take to decide whether an alert concerns it. */
export function countScopeMatchSteps(scope: SubscriptionScope | string, subject: ScopeSubject): number {
  const counter: GlobStepCounter = { steps: 0 };
  matchScope(typeof scope === "string" ? SubscriptionScope.parse(JSON.parse(scope)) : scope, subject, counter);
  return counter.steps;
}
