import { getMirrorHistory } from "@/server/read/get-mirror-history";
import { MirrorHistoryQuery } from "@/contract/mirror-history-dto";
import { decodePathSegment, handleApiOptions, handleApiRequest } from "../../_lib/handle-api-request";

export const dynamic = "force-dynamic";

export function GET(request: Request, context: { params: Promise<{ id: string }> }) {
  return handleApiRequest(request, MirrorHistoryQuery, async ({ query, now }) => {
    const { id } = await context.params;
    return getMirrorHistory(decodePathSegment(id), query, { now });
  });
}

export const OPTIONS = handleApiOptions;
