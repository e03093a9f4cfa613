import { getPackageHistory } from "@/server/read/get-package-history";
import { decodePathSegment, handleApiOptions, handleApiRequest, NoQuery } from "../../_lib/handle-api-request";

export const dynamic = "force-dynamic";

export function GET(request: Request, context: { params: Promise<{ name: string }> }) {
  return handleApiRequest(request, NoQuery, async ({ now }) => {
    const { name } = await context.params;
    return getPackageHistory(decodePathSegment(name), { now });
  });
}

export const OPTIONS = handleApiOptions;
