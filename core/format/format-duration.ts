const MINUTE_SECONDS = 60;
const HOUR_SECONDS = 60 * MINUTE_SECONDS;
const DAY_SECONDS = 24 * HOUR_SECONDS;

/**
 * A human duration, the same text on every page, badge, mail, webhook and feed: "45 s", "12 min", "1 h 30 min", "5 h",
 * "2 d 3 h". Coarse on purpose: lags are read at a glance. `isSubMinutePrecise` is for short operations (a poll):
 * "850 ms", "12.4 s" below a minute.
 */
export function formatDuration(seconds: number, options: { isSubMinutePrecise?: boolean } = {}): string {
  if (options.isSubMinutePrecise && seconds < MINUTE_SECONDS) {
    return seconds < 1 ? `${Math.round(seconds * 1000)} ms` : `${seconds.toFixed(1)} s`;
  }
  const total = Math.max(0, Math.round(seconds));
  if (total < MINUTE_SECONDS) return `${total} s`;
  if (total < HOUR_SECONDS) return `${Math.floor(total / MINUTE_SECONDS)} min`;
  if (total < DAY_SECONDS) {
    const hours = Math.floor(total / HOUR_SECONDS);
    const minutes = Math.floor((total % HOUR_SECONDS) / MINUTE_SECONDS);
    return hours < 3 && minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  }
  const days = Math.floor(total / DAY_SECONDS);
  const hours = Math.floor((total % DAY_SECONDS) / HOUR_SECONDS);
  return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
}
