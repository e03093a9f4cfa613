import { getAdvisory } from "@/server/read/get-advisory";
import { decodePathSegment, handleApiOptions, handleApiRequest, NoQuery } from "../../_lib/handle-api-request";

export const dynamic = "force-dynamic";

export function GET(request: Request, context: { params: Promise<{ id: string }> }) {
  return handleApiRequest(request, NoQuery, async ({ now }) => {
    const { id } = await context.params;
    return getAdvisory(decodePathSegment(id), { now });
  });
}

export const OPTIONS = handleApiOptions;
