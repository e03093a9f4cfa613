"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { fetchApi, LIVE_REFETCH_INTERVAL_MS } from "@/components/api-client";
import type { AdvisoryListQuery, AdvisoryListResponse } from "@/contract/advisory-dto";
import { toAdvisoryListQueryString } from "../advisory-list-query-string";
import { advisoryKeys } from "../query-keys";

export function useAdvisories(query: AdvisoryListQuery) {
  return useQuery({
    queryKey: advisoryKeys.list(query),
    queryFn: ({ signal }) =>
      fetchApi<AdvisoryListResponse>(`/api/v1/advisories?${toAdvisoryListQueryString(query)}`, signal),
    placeholderData: keepPreviousData,
    refetchInterval: LIVE_REFETCH_INTERVAL_MS,
  });
}
