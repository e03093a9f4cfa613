import type { AlertListQuery } from "@/contract/alert-dto";

export const alertKeys = {
  all: ["alerts"] as const,
  list: (query: AlertListQuery) => [...alertKeys.all, "list", query] as const,
};
