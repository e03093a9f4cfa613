import { getMissingReportMarkdownEndpoint } from "@/contract/endpoints";
import { describeMissingReport, missingReportPath } from "@/contract/missing-report-query-string";
import { getConfig } from "@/server/config/get-config";
import { generateMissingReportMarkdown } from "@/server/read/format-report-markdown";
import { listMissingReportBatches } from "@/server/read/get-missing-report";
import { buildMissingReportFileName } from "@/server/read/missing-report-file-name";
import { prepareFileAnswer } from "../../_lib/prepare-file-answer";
import { serveEndpoint, serveOptions } from "../../_lib/serve-endpoint";

export const dynamic = "force-dynamic";

/** Every row, however many: read in batches and streamed when the document is large. */
export const GET = serveEndpoint(getMissingReportMarkdownEndpoint, async ({ query, now }) => {
  const config = getConfig();
  const origin = config.notifications.publicUrl.replace(/\/+$/, "");
  const description = describeMissingReport(query, new Map(config.mirrors.map((mirror) => [mirror.id, mirror.name])));
  // To the minute: a repeated request within it answers 304.
  const asOf = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  return prepareFileAnswer(
    () =>
      generateMissingReportMarkdown(listMissingReportBatches(query, { now }), {
        title: `${description[0].toUpperCase()}${description.slice(1)}`,
        now: asOf,
        reportUrl: `${origin}${missingReportPath(query)}`,
        origin,
      }),
    ({ rowCount }) => ({
      contentType: "text/markdown; charset=utf-8; variant=GFM",
      fileName: buildMissingReportFileName(query, { now, extension: "md" }),
      headers: { "X-Total-Count": String(rowCount) },
    }),
  );
});

export const OPTIONS = serveOptions(getMissingReportMarkdownEndpoint);
