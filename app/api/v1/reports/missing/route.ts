import { getMissingReport } from "@/server/read/get-missing-report";
import { MissingReportQuery } from "@/contract/missing-report-dto";
import { handleApiOptions, handleApiRequest } from "../../_lib/handle-api-request";

export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return handleApiRequest(request, MissingReportQuery, ({ query, now }) => getMissingReport(query, { now }));
}

export const OPTIONS = handleApiOptions;
