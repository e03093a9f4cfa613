"use client";

import { useQuery } from "@tanstack/react-query";
import { LIVE_REFETCH_INTERVAL_MS } from "@/components/api-client";
import { getAdvisoryEndpoint } from "@/contract/endpoints";
import { endpointQueryOptions } from "@/contract/query-options";

export function useAdvisory(id: string) {
  return useQuery({
    ...endpointQueryOptions(getAdvisoryEndpoint, { params: { id } }),
    refetchInterval: LIVE_REFETCH_INTERVAL_MS,
  });
}
