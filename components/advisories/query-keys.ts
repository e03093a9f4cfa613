import type { AdvisoryListQuery } from "@/contract/advisory-dto";

export const advisoryKeys = {
  all: ["advisories"] as const,
  lists: () => [...advisoryKeys.all, "list"] as const,
  list: (query: AdvisoryListQuery) => [...advisoryKeys.lists(), query] as const,
  details: () => [...advisoryKeys.all, "detail"] as const,
  detail: (id: string) => [...advisoryKeys.details(), id] as const,
};
