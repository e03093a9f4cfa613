"use client";

import { useQuery } from "@tanstack/react-query";
import { LIVE_REFETCH_INTERVAL_MS } from "@/components/api-client";
import { getSummaryEndpoint } from "@/contract/endpoints";
import { endpointQueryOptions } from "@/contract/query-options";

export function useSummary() {
  return useQuery({
    ...endpointQueryOptions(getSummaryEndpoint),
    refetchInterval: LIVE_REFETCH_INTERVAL_MS,
  });
}
