import { getMirrorHistoryEndpoint } from "@/contract/endpoints";
import { getMirrorHistory } from "@/server/read/get-mirror-history";
import { serveEndpoint, serveOptions } from "../../_lib/serve-endpoint";

export const dynamic = "force-dynamic";

export const GET = serveEndpoint(getMirrorHistoryEndpoint, ({ params, query, now }) => getMirrorHistory(params.id, query, { now }));

export const OPTIONS = serveOptions(getMirrorHistoryEndpoint);
