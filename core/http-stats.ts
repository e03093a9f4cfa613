/** Counters a poll reports into its PollRun. */
export interface HttpStats {
  requests: number;
  notModified: number;
  bytes: number;
  retries: number;
}
