import type { PollRunsQuery } from "@/server/read/dto";

export const pollRunKeys = {
  all: ["poll-runs"] as const,
  list: (query: PollRunsQuery) => [...pollRunKeys.all, "list", query] as const,
};
