import { toQueryString } from "./query-string";
import { AlertListQuery } from "./alert-dto";

export const DEFAULT_ALERT_LIST_QUERY = AlertListQuery.parse({});

/** The query string of an alerts list, defaults left out so URLs stay short. */
export function toAlertListQueryString(query: AlertListQuery): string {
  return toQueryString({
    status: query.status === DEFAULT_ALERT_LIST_QUERY.status ? undefined : query.status,
    mirror: query.mirror,
    major: query.major,
    kind: query.kind,
    since: query.since,
    until: query.until,
    page: query.page === 1 ? undefined : query.page,
    pageSize: query.pageSize === DEFAULT_ALERT_LIST_QUERY.pageSize ? undefined : query.pageSize,
  });
}

/** Where a maintainer subscribes to what a filtered list shows, and the feed of it. */
export function buildAlertLinks(query: Pick<AlertListQuery, "mirror" | "major" | "kind">): { subscribeHref: string; feedHref: string } {
  const subscribe = toQueryString({ mirror: query.mirror, major: query.major, kind: query.kind });
  const feed = toQueryString({ mirror: query.mirror, major: query.major, kind: query.kind });
  return {
    subscribeHref: subscribe ? `/subscribe?${subscribe}` : "/subscribe",
    feedHref: feed ? `/feeds/alerts.atom?${feed}` : "/feeds/alerts.atom",
  };
}
