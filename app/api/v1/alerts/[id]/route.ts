import { getAlertEndpoint } from "@/contract/endpoints";
import { getAlert } from "@/server/read/get-alert";
import { parseIdParam } from "../../_lib/parse-id-param";
import { serveEndpoint, serveOptions } from "../../_lib/serve-endpoint";

export const dynamic = "force-dynamic";

export const GET = serveEndpoint(getAlertEndpoint, ({ params, now }) => getAlert(parseIdParam(params.id, "an alert"), { now }));

export const OPTIONS = serveOptions(getAlertEndpoint);
