import { search } from "@/server/read/search";
import { SearchQuery } from "@/contract/search-dto";
import { handleApiOptions, handleApiRequest } from "../_lib/handle-api-request";

export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return handleApiRequest(request, SearchQuery, ({ query, now }) => search(query.q, { now }));
}

export const OPTIONS = handleApiOptions;
