import { describe, expect, it } from "vitest";
import type { AlertItem } from "../alerts/types";
import { SubscriptionScope } from "../subscription-scope";
import { planSubscriptionNotification, planWebhookNotification, type NotifyingAlertEvent } from "./plan-alert-notification";

function item(advisoryId: string, name: string): AlertItem {
  return {
    advisoryId,
    advisoryUrl: `https://access.redhat.com/errata/${advisoryId}`,
    severity: "Important",
    title: null,
    issuedAt: "2023-06-10T10:00:00Z",
    major: 8,
    packages: [{ name, nevra: `${name}-0:1-1.el8.src`, status: "missing", since: "2023-06-11T10:00:00Z" }],
    ageHours: 80,
  };
}

const missing: NotifyingAlertEvent = {
  alert: { id: 5, kind: "update_missing", mirrorId: "git.centos.org", major: 8 },
  event: {
    id: 50,
    type: "grew",
    details: {
      mirrorId: "git.centos.org",
      mirrorName: "git.centos.org",
      major: 8,
      items: [item("RHSA-2023:1", "kernel"), item("RHSA-2023:2", "bash")],
    },
  },
};
const subscriber = (scope: Partial<SubscriptionScope>, delivery = "immediate") => ({
  id: 3,
  email: "sig@example.org",
  scope: SubscriptionScope.parse({ kinds: ["update_missing"], ...scope }),
  delivery,
});

describe("planSubscriptionNotification", () => {
  it("plans a row listing only the updates the subscriber's patterns keep", () => {
    expect(planSubscriptionNotification(subscriber({ packagePatterns: ["kernel*"] }), missing)).toEqual({
      channel: "email",
      recipient: "sig@example.org",
      subscriptionId: 3,
      alertId: 5,
      alertEventId: 50,
      payload: { matchedAdvisoryIds: ["RHSA-2023:1"] },
      status: "pending",
    });
  });

  it("holds the row for a daily digest, and marks a newcomer's catch-up", () => {
    expect(planSubscriptionNotification(subscriber({}, "daily"), missing, { catchUp: true })).toMatchObject({
      status: "held",
      payload: { matchedAdvisoryIds: ["RHSA-2023:1", "RHSA-2023:2"], catchUp: true },
    });
  });

  it("plans nothing for an event outside the scope", () => {
    expect(planSubscriptionNotification(subscriber({ majors: [9] }), missing)).toBeNull();
    expect(planSubscriptionNotification(subscriber({ packagePatterns: ["openssl"] }), missing)).toBeNull();
  });
});

describe("planWebhookNotification", () => {
  it("plans a pending webhook row when the webhook's scope matches", () => {
    expect(
      planWebhookNotification(
        { id: "ops", scope: SubscriptionScope.parse({ kinds: ["update_missing"], mirrors: ["git.centos.org"] }) },
        missing,
      ),
    ).toEqual({
      channel: "webhook",
      recipient: "ops",
      subscriptionId: null,
      alertId: 5,
      alertEventId: 50,
      payload: { matchedAdvisoryIds: ["RHSA-2023:1", "RHSA-2023:2"] },
      status: "pending",
    });
    expect(
      planWebhookNotification(
        { id: "ops", scope: SubscriptionScope.parse({}) },
        { ...missing, alert: { ...missing.alert, kind: "update_delayed" } },
      ),
    ).toBeNull();
  });
});
