"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { fetchApi, LIVE_REFETCH_INTERVAL_MS } from "@/components/api-client";
import type { AlertListQuery, AlertListResponse } from "@/contract/alert-dto";
import { toAlertListQueryString } from "../alert-list-query-string";
import { alertKeys } from "../query-keys";

export function useAlerts(query: AlertListQuery) {
  return useQuery({
    queryKey: alertKeys.list(query),
    queryFn: ({ signal }) => {
      const queryString = toAlertListQueryString(query);
      return fetchApi<AlertListResponse>(`/api/v1/alerts${queryString ? `?${queryString}` : ""}`, signal);
    },
    placeholderData: keepPreviousData,
    refetchInterval: LIVE_REFETCH_INTERVAL_MS,
  });
}
