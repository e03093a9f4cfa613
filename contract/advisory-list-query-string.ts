import { toQueryString } from "./query-string";
import { AdvisoryListQuery } from "./advisory-dto";

const DEFAULTS = AdvisoryListQuery.parse({});

/** The query string of a list query, leaving out defaults so URLs stay short and shareable. */
export function toAdvisoryListQueryString(query: Partial<AdvisoryListQuery>): string {
  return toQueryString({
    q: query.q,
    verdict: query.verdict,
    mirror: query.mirror,
    notApplicable: query.notApplicable === DEFAULTS.notApplicable ? undefined : query.notApplicable,
    major: query.major,
    severity: query.severity,
    type: query.type,
    sort: query.sort === DEFAULTS.sort ? undefined : query.sort,
    order: query.order === DEFAULTS.order ? undefined : query.order,
    page: query.page === DEFAULTS.page ? undefined : query.page,
    pageSize: query.pageSize === DEFAULTS.pageSize ? undefined : query.pageSize,
  });
}

export function advisoryPath(id: string): string {
  return `/advisories/${encodeURIComponent(id)}`;
}

export function updatesPath(query: Partial<AdvisoryListQuery>): string {
  const queryString = toAdvisoryListQueryString(query);
  return queryString ? `/updates?${queryString}` : "/updates";
}
