import { toQueryString } from "./query-string";
import { MissingReportQuery, type MissingReportFilters } from "./missing-report-dto";

const DEFAULTS = MissingReportQuery.parse({});

/** The report's filters as a short, stable query string (defaults left out). */
export function toMissingReportQueryString(query: MissingReportFilters & { page?: number; pageSize?: number }): string {
  return toQueryString({
    mirror: query.mirror,
    major: query.major,
    from: query.from,
    to: query.to,
    severity: query.severity,
    type: query.type,
    page: query.page === DEFAULTS.page ? undefined : query.page,
    pageSize: query.pageSize === DEFAULTS.pageSize ? undefined : query.pageSize,
  });
}

function withQuery(path: string, queryString: string): string {
  return queryString ? `${path}?${queryString}` : path;
}

export function missingReportPath(query: MissingReportFilters & { page?: number; pageSize?: number }): string {
  return withQuery("/reports/missing", toMissingReportQueryString(query));
}

export function missingReportPrintPath(filters: MissingReportFilters): string {
  return withQuery("/reports/missing/print", toMissingReportQueryString(filters));
}

export function missingReportCsvPath(filters: MissingReportFilters): string {
  return withQuery("/api/v1/reports/missing.csv", toMissingReportQueryString(filters));
}

export function missingReportMarkdownPath(filters: MissingReportFilters): string {
  return withQuery("/api/v1/reports/missing.md", toMissingReportQueryString(filters));
}

export function missingReportJsonPath(filters: MissingReportFilters, pageSize: number): string {
  return withQuery("/api/v1/reports/missing", toMissingReportQueryString({ ...filters, pageSize }));
}

/** "delayed or missing updates on git.centos.org for RHEL 8, issued 2023-06-01 – 2023-07-31" */
export function describeMissingReport(filters: MissingReportFilters, mirrorNames: Map<string, string>): string {
  const parts = ["delayed or missing"];
  if (filters.severity) parts.push(filters.severity.join(" or "));
  if (filters.type) parts.push(filters.type.join(" or "));
  parts.push("updates");
  parts.push(filters.mirror ? `on ${filters.mirror.map((id) => mirrorNames.get(id) ?? id).join(" or ")}` : "on every mirror");
  if (filters.major) parts.push(`for RHEL ${filters.major.join(" or ")}`);
  const range =
    filters.from && filters.to
      ? `issued ${filters.from} – ${filters.to}`
      : filters.from
        ? `issued since ${filters.from}`
        : filters.to
          ? `issued until ${filters.to}`
          : null;
  return range ? `${parts.join(" ")}, ${range}` : parts.join(" ");
}
