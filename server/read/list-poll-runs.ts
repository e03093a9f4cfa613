import "server-only";

import { getDb } from "../db/client";
import type { PollRunsQuery, PollRunsResponse } from "../../contract/poll-run-dto";
import { toPollRunDto } from "./to-poll-run-dto";

export async function listPollRuns(query: PollRunsQuery, input: { now: Date }): Promise<PollRunsResponse> {
  const rows = await getDb().pollRun.findMany({
    where: query.source ? { sourceId: query.source } : {},
    orderBy: [{ startedAt: "desc" }, { id: "desc" }],
    take: query.limit,
  });
  return {
    now: input.now.toISOString(),
    items: rows.map(toPollRunDto),
  };
}
