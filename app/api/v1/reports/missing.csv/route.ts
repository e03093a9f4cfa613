import { getMissingReportCsvEndpoint } from "@/contract/endpoints";
import { formatMissingReportCsv } from "@/server/read/format-report-csv";
import { getMissingReport } from "@/server/read/get-missing-report";
import { buildMissingReportFileName } from "@/server/read/missing-report-file-name";
import { FileAnswer } from "../../_lib/file-answer";
import { serveEndpoint, serveOptions } from "../../_lib/serve-endpoint";

export const dynamic = "force-dynamic";

/** Rows in one export; the X-Total-Count header tells when a report was larger. */
const MAX_CSV_ROWS = 50_000;

export const GET = serveEndpoint(getMissingReportCsvEndpoint, async ({ query, now }) => {
  const report = await getMissingReport({ ...query, page: 1, pageSize: MAX_CSV_ROWS }, { now });
  return new FileAnswer(formatMissingReportCsv(report.rows), {
    contentType: "text/csv; charset=utf-8; header=present",
    fileName: buildMissingReportFileName(query, { now, extension: "csv" }),
    headers: { "X-Total-Count": String(report.total) },
  });
});

export const OPTIONS = serveOptions(getMissingReportCsvEndpoint);
