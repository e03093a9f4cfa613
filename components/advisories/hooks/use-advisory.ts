"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchApi, LIVE_REFETCH_INTERVAL_MS } from "@/components/api-client";
import type { AdvisoryDetailResponse } from "@/contract/advisory-dto";
import { advisoryPath } from "../advisory-list-query-string";
import { advisoryKeys } from "../query-keys";

export function useAdvisory(id: string) {
  return useQuery({
    queryKey: advisoryKeys.detail(id),
    queryFn: ({ signal }) => fetchApi<AdvisoryDetailResponse>(`/api/v1${advisoryPath(id)}`, signal),
    refetchInterval: LIVE_REFETCH_INTERVAL_MS,
  });
}
