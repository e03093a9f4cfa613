"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { fetchApi, LIVE_REFETCH_INTERVAL_MS } from "@/components/api-client";
import { toQueryString } from "@/contract/query-string";
import type { MirrorHistoryQuery, MirrorHistoryResponse } from "@/contract/mirror-history-dto";
import { mirrorKeys } from "../query-keys";

export function useMirrorHistory(id: string, query: MirrorHistoryQuery) {
  return useQuery({
    queryKey: mirrorKeys.history(id, query),
    queryFn: ({ signal }) =>
      fetchApi<MirrorHistoryResponse>(`/api/v1/mirrors/${encodeURIComponent(id)}?${toQueryString(query)}`, signal),
    placeholderData: keepPreviousData,
    refetchInterval: LIVE_REFETCH_INTERVAL_MS,
  });
}
