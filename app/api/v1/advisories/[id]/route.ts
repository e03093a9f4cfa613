import { getAdvisoryEndpoint } from "@/contract/endpoints";
import { getAdvisory } from "@/server/read/get-advisory";
import { serveEndpoint, serveOptions } from "../../_lib/serve-endpoint";

export const dynamic = "force-dynamic";

export const GET = serveEndpoint(getAdvisoryEndpoint, ({ params, now }) => getAdvisory(params.id, { now }));

export const OPTIONS = serveOptions(getAdvisoryEndpoint);
