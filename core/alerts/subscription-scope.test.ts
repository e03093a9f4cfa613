import { describe, expect, it } from "vitest";
import { matchScope, SubscriptionScope } from "./subscription-scope";
import type { AlertItem } from "./types";

function item(advisoryId: string, name: string, severity: string | null = "Important"): AlertItem {
  return {
    advisoryId,
    advisoryUrl: `https://access.redhat.com/errata/${advisoryId}`,
    severity,
    title: null,
    issuedAt: "2023-06-10T10:00:00Z",
    major: 8,
    packages: [{ name, nevra: `${name}-0:1.0-1.el8.src`, status: "missing", since: "2023-06-11T10:00:00Z" }],
    ageHours: 200,
  };
}

const partialStop = {
  kind: "partial_stop" as const,
  mirrorId: "openela",
  major: 8,
  details: { items: [item("RHSA-2023:4000", "bash"), item("RHBA-2023:4001", "curl", null)] },
};

describe("SubscriptionScope", () => {
  it("includes partial stops by default, next to full stops", () => {
    expect(SubscriptionScope.parse({}).kinds).toEqual(["publishing_stopped", "partial_stop", "update_missing", "mirror_stale"]);
  });

  it("accepts partial_stop as a kind", () => {
    expect(SubscriptionScope.safeParse({ kinds: ["partial_stop"] }).success).toBe(true);
  });
});

describe("matchScope for partial_stop", () => {
  it("tells the whole alert to a scope that lists the kind, like a full stop (severities and patterns are for per-update alerts)", () => {
    expect(matchScope(SubscriptionScope.parse({}), partialStop)).toEqual([]);
    expect(
      matchScope(
        SubscriptionScope.parse({
          kinds: ["partial_stop"],
          mirrors: ["openela"],
          majors: [8],
          severities: ["Critical"],
          packagePatterns: ["kernel*"],
        }),
        partialStop,
      ),
    ).toEqual([]);
  });

  it("leaves it out of scopes without the kind, or for other mirrors and majors", () => {
    expect(matchScope(SubscriptionScope.parse({ kinds: ["publishing_stopped", "update_missing"] }), partialStop)).toBeNull();
    expect(matchScope(SubscriptionScope.parse({ kinds: ["partial_stop"], mirrors: ["git.centos.org"] }), partialStop)).toBeNull();
    expect(matchScope(SubscriptionScope.parse({ kinds: ["partial_stop"], majors: [9] }), partialStop)).toBeNull();
  });
});
