import { CreateSilenceInput, createSilence } from "@/server/alerts/create-silence";
import { listSilences } from "@/server/alerts/list-silences";
import { getDb } from "@/server/db/client";
import { SilenceListQuery } from "@/contract/alert-dto";
import { handleApiOptions, handleApiRequest, NoQuery } from "../_lib/handle-api-request";
import { handleOperatorAction } from "../_lib/handle-operator-action";

export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return handleApiRequest(request, SilenceListQuery, async ({ query, now }) => ({
    now: now.toISOString(),
    items: await listSilences(getDb(), { now, state: query.state, limit: query.limit }),
  }));
}

/** Operator only (Authorization: Bearer <SRCWATCH_ADMIN_TOKEN>); not offered to other origins (the preflight allows GET only). */
export function POST(request: Request) {
  return handleOperatorAction(request, { query: NoQuery, body: CreateSilenceInput.strict(), status: 201 }, async ({ body, now }) => ({
    now: now.toISOString(),
    silence: await createSilence(getDb(), { silence: body, now }),
  }));
}

export const OPTIONS = handleApiOptions;
