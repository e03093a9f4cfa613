import { BadRequestError } from "@/server/errors";
import { getAlert } from "@/server/read/get-alert";
import { decodePathSegment, handleApiOptions, handleApiRequest, NoQuery } from "../../_lib/handle-api-request";

export const dynamic = "force-dynamic";

export function GET(request: Request, context: { params: Promise<{ id: string }> }) {
  return handleApiRequest(request, NoQuery, async ({ now }) => {
    const id = decodePathSegment((await context.params).id);
    if (!/^[1-9]\d{0,15}$/.test(id)) throw new BadRequestError(`"id": an alert id is a positive whole number (got "${id}")`, [{ parameter: "id", message: "not an alert id" }]);
    return getAlert(Number(id), { now });
  });
}

export const OPTIONS = handleApiOptions;
