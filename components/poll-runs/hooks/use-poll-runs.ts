"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { fetchApi, LIVE_REFETCH_INTERVAL_MS } from "@/components/api-client";
import { toQueryString } from "@/contract/query-string";
import type { PollRunsQuery, PollRunsResponse } from "@/contract/poll-run-dto";
import { pollRunKeys } from "../query-keys";

export function usePollRuns(query: PollRunsQuery) {
  return useQuery({
    queryKey: pollRunKeys.list(query),
    queryFn: ({ signal }) =>
      fetchApi<PollRunsResponse>(`/api/v1/poll-runs?${toQueryString({ source: query.source, limit: query.limit })}`, signal),
    placeholderData: keepPreviousData,
    refetchInterval: LIVE_REFETCH_INTERVAL_MS,
  });
}
