"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchApi, LIVE_REFETCH_INTERVAL_MS } from "@/components/api-client";
import type { MirrorsResponse } from "@/contract/mirror-dto";
import { mirrorKeys } from "../query-keys";

export function useMirrors() {
  return useQuery({
    queryKey: mirrorKeys.all,
    queryFn: ({ signal }) => fetchApi<MirrorsResponse>("/api/v1/mirrors", signal),
    refetchInterval: LIVE_REFETCH_INTERVAL_MS,
  });
}
