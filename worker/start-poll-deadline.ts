export interface PollDeadline {
  /** Aborted when the deadline passes: hand it to the HTTP client and the source. */
  signal: AbortSignal;
  /**
   * Settles with the work's result, or with `{ isTimedOut: true }` once the deadline passes, even if the work
   * ignores the signal; the work's late result (or error) is then dropped.
   */
  race<T>(work: Promise<T>): Promise<{ isTimedOut: false; value: T } | { isTimedOut: true }>;
  /** Stops the timer (call when the poll is over). */
  clear(): void;
}

/** A real-time deadline for one poll, `pollTimeoutSeconds` after its start. */
export function startPollDeadline(pollTimeoutSeconds: number): PollDeadline {
  const controller = new AbortController();
  let expire: () => void = () => undefined;
  const expired = new Promise<{ isTimedOut: true }>((resolve) => {
    expire = () => resolve({ isTimedOut: true });
  });
  const timer = setTimeout(() => {
    controller.abort(new Error(`the poll's deadline of ${pollTimeoutSeconds} s (pollTimeoutSeconds) passed`));
    expire();
  }, pollTimeoutSeconds * 1000);
  return {
    signal: controller.signal,
    race<T>(work: Promise<T>) {
      work.catch(() => undefined);
      return Promise.race([work.then((value) => ({ isTimedOut: false as const, value })), expired]);
    },
    clear: () => clearTimeout(timer),
  };
}
