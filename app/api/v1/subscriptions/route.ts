import { subscribeEndpoint } from "@/contract/endpoints";
import { getConfig } from "@/server/config/get-config";
import { getDb } from "@/server/db/client";
import { subscribe } from "@/server/subscriptions/subscribe";
import { serveEndpoint, serveOptions } from "../_lib/serve-endpoint";

export const dynamic = "force-dynamic";

export const POST = serveEndpoint(subscribeEndpoint, ({ body, now, clientIp }) =>
  subscribe(getDb(), { request: body, clientIp, config: getConfig(), now }),
);

export const OPTIONS = serveOptions(subscribeEndpoint);
