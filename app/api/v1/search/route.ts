import { searchEndpoint } from "@/contract/endpoints";
import { search } from "@/server/read/search";
import { serveEndpoint, serveOptions } from "../_lib/serve-endpoint";

export const dynamic = "force-dynamic";

export const GET = serveEndpoint(searchEndpoint, ({ query, now }) => search(query.q, { now }));

export const OPTIONS = serveOptions(searchEndpoint);
