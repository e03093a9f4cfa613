import { AdvisoryListQuery } from "@/contract/advisory-dto";
import { listAdvisories } from "@/server/read/list-advisories";
import { handleApiOptions, handleApiRequest } from "../_lib/handle-api-request";

export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return handleApiRequest(request, AdvisoryListQuery, ({ query, now }) => listAdvisories(query, { now }));
}

export const OPTIONS = handleApiOptions;
