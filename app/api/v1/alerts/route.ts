import { listAlertsEndpoint } from "@/contract/endpoints";
import { listAlerts } from "@/server/read/list-alerts";
import { serveEndpoint, serveOptions } from "../_lib/serve-endpoint";

export const dynamic = "force-dynamic";

export const GET = serveEndpoint(listAlertsEndpoint, ({ query, now }) => listAlerts(query, { now }));

export const OPTIONS = serveOptions(listAlertsEndpoint);
