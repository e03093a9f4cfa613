import { getSummary } from "@/server/read/get-summary";
import { handleApiOptions, handleApiRequest, NoQuery } from "../_lib/handle-api-request";

export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return handleApiRequest(request, NoQuery, ({ now }) => getSummary({ now }));
}

export const OPTIONS = handleApiOptions;
