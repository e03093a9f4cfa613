export interface RequestBudget {
  /** Resolves when one more request may start without exceeding the budget. */
  take(): Promise<void>;
}

const WINDOW_MS = 60_000;

/**
 * At most `requestsPerMinute` request starts in any 60-second window (a sliding log rather than a token bucket,
 * whose burst plus refill could spend up to twice the budget in one minute). Safe with concurrent callers.
 */
export function createRequestBudget(options: {
  requestsPerMinute: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}): RequestBudget {
  const { requestsPerMinute, now, sleep } = options;
  const startTimes: number[] = [];
  return {
    async take() {
      const currentMs = now();
      while (startTimes.length > requestsPerMinute && startTimes[0] <= currentMs - WINDOW_MS) startTimes.shift();
      const startMs =
        startTimes.length >= requestsPerMinute
          ? Math.max(currentMs, startTimes[startTimes.length - requestsPerMinute] + WINDOW_MS)
          : currentMs;
      startTimes.push(startMs);
      if (startMs > currentMs) await sleep(startMs - currentMs);
    },
  };
}
