"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchApi, LIVE_REFETCH_INTERVAL_MS } from "@/components/api-client";
import type { SummaryResponse } from "@/contract/summary-dto";
import { summaryKeys } from "../query-keys";

export function useSummary() {
  return useQuery({
    queryKey: summaryKeys.all,
    queryFn: ({ signal }) => fetchApi<SummaryResponse>("/api/v1/summary", signal),
    refetchInterval: LIVE_REFETCH_INTERVAL_MS,
  });
}
