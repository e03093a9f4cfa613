import type { MirrorHistoryQuery } from "@/contract/mirror-history-dto";

export const mirrorKeys = {
  all: ["mirrors"] as const,
  history: (id: string, query: MirrorHistoryQuery) => [...mirrorKeys.all, id, "history", query] as const,
};
