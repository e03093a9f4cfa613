import { getMissingReportCsvEndpoint } from "@/contract/endpoints";
import { generateMissingReportCsv } from "@/server/read/format-report-csv";
import { listMissingReportBatches } from "@/server/read/get-missing-report";
import { buildMissingReportFileName } from "@/server/read/missing-report-file-name";
import { prepareFileAnswer } from "../../_lib/prepare-file-answer";
import { serveEndpoint, serveOptions } from "../../_lib/serve-endpoint";

export const dynamic = "force-dynamic";

/** Every row, however many: read in batches and streamed when the file is large. */
export const GET = serveEndpoint(getMissingReportCsvEndpoint, async ({ query, now }) =>
  prepareFileAnswer(
    () => generateMissingReportCsv(listMissingReportBatches(query, { now })),
    ({ rowCount }) => ({
      contentType: "text/csv; charset=utf-8; header=present",
      fileName: buildMissingReportFileName(query, { now, extension: "csv" }),
      headers: { "X-Total-Count": String(rowCount) },
    }),
  ),
);

export const OPTIONS = serveOptions(getMissingReportCsvEndpoint);
