import type { Metadata } from "next";
import Link from "next/link";
import { describeMissingReport, missingReportPath } from "@/contract/missing-report-query-string";
import { PrintButton } from "@/components/reports/print-button";
import { toUrlSearchParams } from "@/contract/search-params-record";
import { getClock } from "@/server/clock";
import { MISSING_REPORT_COLUMNS } from "@/server/read/format-report-csv";
import { loadMissingReport } from "@/server/read/load-missing-report";
import { MISSING_REPORT_MAX_PAGE_SIZE } from "@/contract/missing-report-dto";
import "./print.css";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Missing-update report (print)" };

const PRINTED_COLUMNS = MISSING_REPORT_COLUMNS.filter((column) => column.header !== "Evidence");

export default async function MissingReportPrintPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const loaded = await loadMissingReport(toUrlSearchParams(await searchParams), {
    now: getClock().now(),
    pageSize: MISSING_REPORT_MAX_PAGE_SIZE,
  });
  if (!loaded.isValid) {
    return (
      <div data-print-view="" role="alert" className="space-y-2 text-sm">
        <h1 className="text-xl font-semibold">These filters are not valid</h1>
        <p>{loaded.message}</p>
        <Link href="/reports/missing" className="underline">
          Start a new report
        </Link>
      </div>
    );
  }
  const { report, mirrors } = loaded;
  const description = describeMissingReport(report.filters, new Map(mirrors.map((mirror) => [mirror.id, mirror.name])));
  const caption = `${description[0].toUpperCase()}${description.slice(1)}`;

  return (
    <div data-print-view="" className="space-y-3">
      <div className="flex flex-wrap items-center gap-3 print:hidden">
        <Link href={missingReportPath(report.filters)} className="text-sm text-sky-700 underline dark:text-sky-400">
          Back to the report
        </Link>
        <PrintButton />
      </div>
      <h1 className="text-xl font-semibold">srcwatch · Missing-update report</h1>
      <p className="text-sm">
        {report.total} {description}. As of {report.now.replace("T", " ").slice(0, 16)} UTC.
        {report.rows.length < report.total ? ` Showing the oldest ${report.rows.length}; download the CSV for all.` : ""}
      </p>
      {/* On paper the table fits the page; on a narrow screen it scrolls within itself, not the page sideways. */}
      <div className="relative overflow-x-auto print:overflow-visible" role="region" aria-label={caption} tabIndex={0}>
        <table className="w-full border-collapse text-left text-xs">
          <caption className="sr-only">{caption}</caption>
          <thead>
            <tr>
              {PRINTED_COLUMNS.map((column) => (
                <th key={column.header} scope="col" className="border border-zinc-300 px-1.5 py-1 font-semibold dark:border-zinc-700">
                  {column.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {report.rows.map((row) => (
              <tr key={`${row.advisoryId}/${row.mirrorId}`}>
                {PRINTED_COLUMNS.map((column, index) =>
                  index === 0 ? (
                    <th
                      key={column.header}
                      scope="row"
                      className="border border-zinc-300 px-1.5 py-1 font-mono font-medium dark:border-zinc-700"
                    >
                      {column.format(row)}
                    </th>
                  ) : (
                    <td key={column.header} className="break-words border border-zinc-300 px-1.5 py-1 align-top dark:border-zinc-700">
                      {column.format(row)}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
