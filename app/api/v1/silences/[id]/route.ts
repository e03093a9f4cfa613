import { expireSilence } from "@/server/alerts/expire-silence";
import { getDb } from "@/server/db/client";
import { getSilence } from "@/server/read/get-silence";
import { handleApiOptions, handleApiRequest, NoQuery } from "../../_lib/handle-api-request";
import { handleOperatorAction } from "../../_lib/handle-operator-action";
import { parseIdSegment } from "../../_lib/parse-id-segment";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

export function GET(request: Request, context: Context) {
  return handleApiRequest(request, NoQuery, async ({ now }) => getSilence(parseIdSegment((await context.params).id, "a silence"), { now }));
}

/** Expires the silence now. Operator only, like POST /api/v1/silences. */
export function DELETE(request: Request, context: Context) {
  return handleOperatorAction(request, { query: NoQuery }, async ({ now }) => ({
    now: now.toISOString(),
    silence: await expireSilence(getDb(), { id: parseIdSegment((await context.params).id, "a silence"), now }),
  }));
}

export const OPTIONS = handleApiOptions;
