"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { LIVE_REFETCH_INTERVAL_MS } from "@/components/api-client";
import { listPollRunsEndpoint } from "@/contract/endpoints";
import type { PollRunsQuery } from "@/contract/poll-run-dto";
import { endpointQueryOptions } from "@/contract/query-options";

export function usePollRuns(query: PollRunsQuery) {
  return useQuery({
    ...endpointQueryOptions(listPollRunsEndpoint, { query }),
    placeholderData: keepPreviousData,
    refetchInterval: LIVE_REFETCH_INTERVAL_MS,
  });
}
