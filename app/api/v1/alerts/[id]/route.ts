import { getAlert } from "@/server/read/get-alert";
import { handleApiOptions, handleApiRequest, NoQuery } from "../../_lib/handle-api-request";
import { parseIdSegment } from "../../_lib/parse-id-segment";

export const dynamic = "force-dynamic";

export function GET(request: Request, context: { params: Promise<{ id: string }> }) {
  return handleApiRequest(request, NoQuery, async ({ now }) => getAlert(parseIdSegment((await context.params).id, "an alert"), { now }));
}

export const OPTIONS = handleApiOptions;
