import { expireSilenceEndpoint, getSilenceEndpoint } from "@/contract/endpoints";
import { expireSilence } from "@/server/alerts/expire-silence";
import { getDb } from "@/server/db/client";
import { getSilence } from "@/server/read/get-silence";
import { parseIdParam } from "../../_lib/parse-id-param";
import { serveEndpoint, serveOptions } from "../../_lib/serve-endpoint";

export const dynamic = "force-dynamic";

export const GET = serveEndpoint(getSilenceEndpoint, ({ params, now }) => getSilence(parseIdParam(params.id, "a silence"), { now }));

/** Expires the silence now. Operator only, like POST /api/v1/silences. */
export const DELETE = serveEndpoint(expireSilenceEndpoint, async ({ params, now }) => ({
  now: now.toISOString(),
  silence: await expireSilence(getDb(), { id: parseIdParam(params.id, "a silence"), now }),
}));

/** Other origins are offered GET alone. */
export const OPTIONS = serveOptions(getSilenceEndpoint, expireSilenceEndpoint);
