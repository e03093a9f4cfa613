import { PollRunsQuery } from "@/contract/poll-run-dto";
import { listPollRuns } from "@/server/read/list-poll-runs";
import { handleApiOptions, handleApiRequest } from "../_lib/handle-api-request";

export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return handleApiRequest(request, PollRunsQuery, ({ query, now }) => listPollRuns(query, { now }));
}

export const OPTIONS = handleApiOptions;
