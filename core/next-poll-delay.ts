const RETRY_BASE_SECONDS = 60;

/**
 * Seconds until a source is polled again: its interval after a poll that worked; after `consecutiveFailures` failed
 * polls in a row, 60 s doubling per failure, never longer than the interval (a failing source is retried sooner, never
 * hammered, and never holds up the others). One rule for the in-process scheduler and the job queue.
 */
export function computeNextPollDelaySeconds(pollIntervalSeconds: number, consecutiveFailures: number): number {
  if (consecutiveFailures <= 0) return pollIntervalSeconds;
  return Math.min(pollIntervalSeconds, RETRY_BASE_SECONDS * 2 ** Math.min(consecutiveFailures - 1, 30));
}
