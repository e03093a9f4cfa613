import { getMissingReportEndpoint } from "@/contract/endpoints";
import { getMissingReport } from "@/server/read/get-missing-report";
import { serveEndpoint, serveOptions } from "../../_lib/serve-endpoint";

export const dynamic = "force-dynamic";

export const GET = serveEndpoint(getMissingReportEndpoint, ({ query, now }) => getMissingReport(query, { now }));

export const OPTIONS = serveOptions(getMissingReportEndpoint);
