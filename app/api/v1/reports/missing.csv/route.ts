import { formatMissingReportCsv } from "@/server/read/format-report-csv";
import { getMissingReport } from "@/server/read/get-missing-report";
import { MissingReportFilters } from "@/contract/missing-report-dto";
import { buildMissingReportFileName } from "@/server/read/missing-report-file-name";
import { createEtag, handleApiOptions, handleApiRequest, isEtagMatch } from "../../_lib/handle-api-request";

export const dynamic = "force-dynamic";

/** Rows in one export; the X-Total-Count header tells when a report was larger. */
const MAX_CSV_ROWS = 50_000;

export async function GET(request: Request) {
  let download: { csv: string; fileName: string; total: number } | undefined;
  // handleApiRequest parses the query and maps errors to JSON once; on success the CSV replaces its JSON answer.
  const response = await handleApiRequest(request, MissingReportFilters, async ({ query, now }) => {
    const report = await getMissingReport({ ...query, page: 1, pageSize: MAX_CSV_ROWS }, { now });
    download = { csv: formatMissingReportCsv(report.rows), fileName: buildMissingReportFileName(query, { now, extension: "csv" }), total: report.total };
    return { total: report.total };
  });
  if (!download) return response;
  const etag = createEtag(download.csv);
  const headers = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Content-Disposition, X-Total-Count",
    "Cache-Control": "no-cache",
    ETag: etag,
    "X-Total-Count": String(download.total),
  };
  if (isEtagMatch(request.headers.get("If-None-Match"), etag)) return new Response(null, { status: 304, headers });
  return new Response(download.csv, {
    headers: {
      ...headers,
      "Content-Type": "text/csv; charset=utf-8; header=present",
      "Content-Disposition": `attachment; filename="${download.fileName}"`,
    },
  });
}

export const OPTIONS = handleApiOptions;
