import "server-only";

import type { MissingReportFilters } from "../../contract/missing-report-dto";

/**
 * `srcwatch-missing-updates-git.centos.org-rhel8-released-2023-06-01-to-2023-07-31-as-of-2023-08-02.csv`: what it holds,
 * readable in a downloads folder — which mirrors and majors, which releases, and when it was taken.
 */
export function buildMissingReportFileName(filters: MissingReportFilters, input: { now: Date; extension: "csv" | "json" | "md" }): string {
  const asOf = input.now.toISOString().slice(0, 10);
  const released =
    filters.from && filters.to
      ? `released-${filters.from}-to-${filters.to}`
      : filters.from
        ? `released-since-${filters.from}`
        : filters.to
          ? `released-until-${filters.to}`
          : null;
  const parts = [
    filters.mirror?.join("+") ?? "all-mirrors",
    filters.major ? `rhel${filters.major.join("+")}` : "all-rhel",
    ...(filters.severity ? [filters.severity.join("+").toLowerCase()] : []),
    ...(filters.type ? [filters.type.join("+")] : []),
    ...(released ? [released] : []),
    `as-of-${asOf}`,
  ];
  return `srcwatch-missing-updates-${parts.join("-")}.${input.extension}`.replace(/[^A-Za-z0-9._+-]/g, "_");
}
