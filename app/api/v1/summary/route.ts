import { getSummaryEndpoint } from "@/contract/endpoints";
import { getSummary } from "@/server/read/get-summary";
import { serveEndpoint, serveOptions } from "../_lib/serve-endpoint";

export const dynamic = "force-dynamic";

export const GET = serveEndpoint(getSummaryEndpoint, ({ now }) => getSummary({ now }));

export const OPTIONS = serveOptions(getSummaryEndpoint);
