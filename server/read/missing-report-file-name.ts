import "server-only";

import type { MissingReportFilters } from "../../contract/missing-report-dto";

/** `srcwatch-missing-git.centos.org-rhel8-2023-06-01-2023-07-31.csv`: the filters, readable in a downloads folder. */
export function buildMissingReportFileName(filters: MissingReportFilters, input: { now: Date; extension: "csv" | "json" }): string {
  const parts = [
    filters.mirror?.join("+") ?? "all",
    `rhel${filters.major?.join("+") ?? "all"}`,
    filters.from ?? "start",
    filters.to ?? input.now.toISOString().slice(0, 10),
  ];
  return `srcwatch-missing-${parts.join("-")}.${input.extension}`.replace(/[^A-Za-z0-9._+-]/g, "_");
}
