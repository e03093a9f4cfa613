"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { LIVE_REFETCH_INTERVAL_MS } from "@/components/api-client";
import { getMirrorHistoryEndpoint } from "@/contract/endpoints";
import type { MirrorHistoryQuery } from "@/contract/mirror-history-dto";
import { endpointQueryOptions } from "@/contract/query-options";

export function useMirrorHistory(id: string, query: MirrorHistoryQuery) {
  return useQuery({
    ...endpointQueryOptions(getMirrorHistoryEndpoint, { params: { id }, query }),
    placeholderData: keepPreviousData,
    refetchInterval: LIVE_REFETCH_INTERVAL_MS,
  });
}
