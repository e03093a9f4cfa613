import { InvalidFilters } from "@/components/ui/invalid-filters";
import { CopyMarkdownButton } from "@/components/reports/copy-markdown-button";
import type { Metadata } from "next";
import { buildPageMetadata } from "@/server/http/page-metadata";
import Link from "next/link";
import { MissingReportFilters } from "@/components/reports/missing-report-filters";
import {
  describeMissingReport,
  missingReportCsvPath,
  missingReportMarkdownPath,
  missingReportJsonPath,
  missingReportPath,
  missingReportPrintPath,
} from "@/contract/missing-report-query-string";
import { MissingReportTable } from "@/components/reports/missing-report-table";
import { toUrlSearchParams } from "@/contract/search-params-record";
import { EmptyState } from "@/components/data-gap";
import { Instant } from "@/components/ui/instant";
import { getClock } from "@/server/clock";
import { loadMissingReport } from "@/server/read/load-missing-report";
import { buildMissingReportFileName } from "@/server/read/missing-report-file-name";
import { MISSING_REPORT_MAX_PAGE_SIZE, type MissingReportFilters as Filters } from "@/contract/missing-report-dto";

export const dynamic = "force-dynamic";

export const metadata: Metadata = buildPageMetadata({
  title: "Missing-update report",
  description: "RHEL updates whose sources are delayed or missing on a mirror, with where else they are already published.",
  path: "/reports/missing",
});

const actionClass =
  "rounded border border-zinc-300 px-3 py-1 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800";

export default async function MissingReportPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const loaded = await loadMissingReport(toUrlSearchParams(await searchParams), { now: getClock().now() });
  const heading = (
    <div className="space-y-1">
      <h1 className="text-2xl font-semibold tracking-tight">Missing-update report</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Every update whose sources are delayed or missing on a mirror, how old it is, and where the same sources are available instead.
      </p>
    </div>
  );
  if (!loaded.isValid) {
    return <InvalidFilters heading={heading} message={loaded.message} resetHref="/reports/missing" resetLabel="Start a new report" />;
  }

  const { query, report, mirrors, majors } = loaded;
  const filters: Filters = report.filters;
  const mirrorNames = new Map(mirrors.map((mirror) => [mirror.id, mirror.name]));
  const description = describeMissingReport(filters, mirrorNames);
  const pageCount = Math.max(1, Math.ceil(report.total / report.pageSize));
  const first = report.total === 0 ? 0 : (report.page - 1) * report.pageSize + 1;
  const last = Math.min(report.total, report.page * report.pageSize);
  const now = new Date(report.now);

  return (
    <div className="space-y-4">
      {heading}
      <MissingReportFilters filters={filters} mirrors={mirrors} majors={majors} />
      <div className="flex flex-wrap items-center justify-between gap-3 print:hidden">
        <p role="status" className="text-sm font-medium">
          {report.total} {description}
          <span className="font-normal text-zinc-600 dark:text-zinc-400">
            {" "}
            · as of <Instant at={report.now} />
          </span>
        </p>
        <ul className="flex flex-wrap gap-2" aria-label="Export">
          <li>
            <a
              href={missingReportCsvPath(filters)}
              download={buildMissingReportFileName(filters, { now, extension: "csv" })}
              className={actionClass}
            >
              Download CSV
            </a>
          </li>
          <li>
            <a
              href={missingReportJsonPath(filters, MISSING_REPORT_MAX_PAGE_SIZE)}
              download={buildMissingReportFileName(filters, { now, extension: "json" })}
              className={actionClass}
            >
              Download JSON
            </a>
          </li>
          <li>
            <a
              href={missingReportMarkdownPath(filters)}
              download={buildMissingReportFileName(filters, { now, extension: "md" })}
              className={actionClass}
            >
              Download Markdown
            </a>
          </li>
          <li className="flex flex-wrap items-center gap-2">
            <CopyMarkdownButton href={missingReportMarkdownPath(filters)} className={actionClass} />
          </li>
          <li>
            <Link href={missingReportPrintPath(filters)} className={actionClass}>
              Printable view
            </Link>
          </li>
        </ul>
      </div>
      {report.rows.length === 0 ? (
        <EmptyState title="Nothing is delayed or missing for these filters." />
      ) : (
        <MissingReportTable caption={`${description[0].toUpperCase()}${description.slice(1)}`} rows={report.rows} />
      )}
      {report.total > report.pageSize ? (
        <nav aria-label="Pagination" className="flex flex-wrap items-center justify-between gap-3 text-sm print:hidden">
          <p className="tabular-nums">
            {first}–{last} of {report.total} · page {report.page} of {pageCount}
          </p>
          <div className="flex gap-2">
            {report.page > 1 ? (
              <Link
                href={missingReportPath({ ...filters, page: report.page - 1, pageSize: query.pageSize })}
                rel="prev"
                className={actionClass}
              >
                Previous
              </Link>
            ) : null}
            {report.page < pageCount ? (
              <Link
                href={missingReportPath({ ...filters, page: report.page + 1, pageSize: query.pageSize })}
                rel="next"
                className={actionClass}
              >
                Next
              </Link>
            ) : null}
          </div>
        </nav>
      ) : null}
    </div>
  );
}
