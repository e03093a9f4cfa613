"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { LIVE_REFETCH_INTERVAL_MS } from "@/components/api-client";
import type { AlertListQuery } from "@/contract/alert-dto";
import { listAlertsEndpoint } from "@/contract/endpoints";
import { endpointQueryOptions } from "@/contract/query-options";

export function useAlerts(query: AlertListQuery) {
  return useQuery({
    ...endpointQueryOptions(listAlertsEndpoint, { query }),
    placeholderData: keepPreviousData,
    refetchInterval: LIVE_REFETCH_INTERVAL_MS,
  });
}
