import type { FetchErrorKind } from "../../core/types";
import type { HttpStats } from "../../sources/http/types";

export type PollRunOutcome = "running" | "success" | "partial" | "failed";

/** What a finished poll reports, written with its results in one transaction. */
export interface PollRunReport {
  outcome: Exclude<PollRunOutcome, "running">;
  stats: HttpStats;
  items: number;
  errorKind: FetchErrorKind | "internal" | null;
  errorMessage: string | null;
}
