import { getDb } from "../db/client";
import type { PollRunDto, PollRunsQuery, PollRunsResponse } from "../../contract/poll-run-dto";
import { toPublicErrorMessage } from "./to-public-error-message";

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

type PollRunRow = Awaited<ReturnType<ReturnType<typeof getDb>["pollRun"]["findMany"]>>[number];

export function toPollRunDto(row: PollRunRow): PollRunDto {
  return {
    id: String(row.id),
    sourceId: row.sourceId,
    sourceKind: row.sourceKind as PollRunDto["sourceKind"],
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    outcome: row.outcome as PollRunDto["outcome"],
    requests: row.requests,
    notModified: row.notModified,
    bytes: row.bytes,
    items: row.items,
    errorKind: row.errorKind,
    errorMessage: toPublicErrorMessage(row.errorMessage),
  };
}
