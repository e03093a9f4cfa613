"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { LIVE_REFETCH_INTERVAL_MS } from "@/components/api-client";
import type { AdvisoryListQuery } from "@/contract/advisory-dto";
import { listAdvisoriesEndpoint } from "@/contract/endpoints";
import { endpointQueryOptions } from "@/contract/query-options";

export function useAdvisories(query: AdvisoryListQuery) {
  return useQuery({
    ...endpointQueryOptions(listAdvisoriesEndpoint, { query }),
    placeholderData: keepPreviousData,
    refetchInterval: LIVE_REFETCH_INTERVAL_MS,
  });
}
