import { AlertListQuery } from "@/contract/alert-dto";
import { listAlerts } from "@/server/read/list-alerts";
import { handleApiOptions, handleApiRequest } from "../_lib/handle-api-request";

export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return handleApiRequest(request, AlertListQuery, ({ query, now }) => listAlerts(query, { now }));
}

export const OPTIONS = handleApiOptions;
