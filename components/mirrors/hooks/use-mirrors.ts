"use client";

import { useQuery } from "@tanstack/react-query";
import { LIVE_REFETCH_INTERVAL_MS } from "@/components/api-client";
import { listMirrorsEndpoint } from "@/contract/endpoints";
import { endpointQueryOptions } from "@/contract/query-options";

export function useMirrors() {
  return useQuery({
    ...endpointQueryOptions(listMirrorsEndpoint),
    refetchInterval: LIVE_REFETCH_INTERVAL_MS,
  });
}
