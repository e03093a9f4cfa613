import type { PollRunsQuery } from "@/contract/poll-run-dto";

export const pollRunKeys = {
  all: ["poll-runs"] as const,
  list: (query: PollRunsQuery) => [...pollRunKeys.all, "list", query] as const,
};
