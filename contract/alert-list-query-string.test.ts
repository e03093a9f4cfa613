import { describe, expect, it } from "vitest";
import { parseQueryString } from "./query-string";
import { AlertListQuery } from "./alert-dto";
import { buildAlertLinks, DEFAULT_ALERT_LIST_QUERY, toAlertListQueryString } from "./alert-list-query-string";

describe("toAlertListQueryString", () => {
  it("leaves defaults out and keeps lists readable", () => {
    expect(toAlertListQueryString(DEFAULT_ALERT_LIST_QUERY)).toBe("");
    expect(
      toAlertListQueryString({ ...DEFAULT_ALERT_LIST_QUERY, status: "firing", mirror: ["git.centos.org"], major: [8, 9], page: 2 }),
    ).toBe("status=firing&mirror=git.centos.org&major=8,9&page=2");
  });

  it("round-trips through the API's own parser", () => {
    const query = AlertListQuery.parse({
      status: "resolved",
      kind: "publishing_stopped,mirror_stale",
      since: "2023-06-01T00:00:00Z",
      pageSize: "10",
    });
    const parsed = parseQueryString(AlertListQuery, new URLSearchParams(toAlertListQueryString(query)));
    expect(parsed).toEqual({ success: true, data: query });
  });

  it("filters by every alert kind, partial stops included", () => {
    const query = AlertListQuery.parse({ kind: "partial_stop" });
    expect(toAlertListQueryString(query)).toBe("kind=partial_stop");
    expect(parseQueryString(AlertListQuery, new URLSearchParams("kind=partial_stop,publishing_stopped"))).toMatchObject({
      success: true,
      data: { kind: ["partial_stop", "publishing_stopped"] },
    });
    expect(buildAlertLinks(query)).toEqual({
      feedHref: "/feeds/alerts.atom?kind=partial_stop",
      subscribeHref: "/subscribe?kind=partial_stop",
    });
  });
});

describe("buildAlertLinks", () => {
  it("points the feed and the subscribe form at the same mirror and major", () => {
    expect(buildAlertLinks({ mirror: ["git.centos.org"], major: [8] })).toEqual({
      feedHref: "/feeds/alerts.atom?mirror=git.centos.org&major=8",
      subscribeHref: "/subscribe?mirror=git.centos.org&major=8",
    });
    expect(buildAlertLinks({})).toEqual({ feedHref: "/feeds/alerts.atom", subscribeHref: "/subscribe" });
  });
});
