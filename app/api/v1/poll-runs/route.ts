import { listPollRunsEndpoint } from "@/contract/endpoints";
import { listPollRuns } from "@/server/read/list-poll-runs";
import { serveEndpoint, serveOptions } from "../_lib/serve-endpoint";

export const dynamic = "force-dynamic";

export const GET = serveEndpoint(listPollRunsEndpoint, ({ query, now }) => listPollRuns(query, { now }));

export const OPTIONS = serveOptions(listPollRunsEndpoint);
