import { createSilenceEndpoint, listSilencesEndpoint } from "@/contract/endpoints";
import { createSilence } from "@/server/alerts/create-silence";
import { listSilences } from "@/server/alerts/list-silences";
import { getDb } from "@/server/db/client";
import { serveEndpoint, serveOptions } from "../_lib/serve-endpoint";

export const dynamic = "force-dynamic";

export const GET = serveEndpoint(listSilencesEndpoint, async ({ query, now }) => ({
  now: now.toISOString(),
  items: await listSilences(getDb(), { now, state: query.state, limit: query.limit }),
}));

/** Operator only (Authorization: Bearer <SRCWATCH_ADMIN_TOKEN>). */
export const POST = serveEndpoint(createSilenceEndpoint, async ({ body, now }) => ({
  now: now.toISOString(),
  silence: await createSilence(getDb(), { silence: body, now }),
}));

/** Other origins are offered GET alone: the preflight never allows POST. */
export const OPTIONS = serveOptions(listSilencesEndpoint, createSilenceEndpoint);
