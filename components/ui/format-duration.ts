const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A human duration: "45 s", "12 min", "5 h", "2 d 3 h". Coarse on purpose: lags are read at a glance. */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  if (total < MINUTE) return `${total} s`;
  if (total < HOUR) return `${Math.floor(total / MINUTE)} min`;
  if (total < DAY) {
    const hours = Math.floor(total / HOUR);
    const minutes = Math.floor((total % HOUR) / MINUTE);
    return hours < 3 && minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  }
  const days = Math.floor(total / DAY);
  const hours = Math.floor((total % DAY) / HOUR);
  return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
}

/** Milliseconds between two instants, for short operations: "850 ms", "12.4 s", "3 min". */
export function formatElapsedMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return formatDuration(ms / 1000);
}

/** "3 h ago" / "in 2 d" relative to `now`. */
export function formatRelative(at: string | Date, now: string | Date): string {
  const seconds = (new Date(now).getTime() - new Date(at).getTime()) / 1000;
  if (Math.abs(seconds) < 30) return "just now";
  return seconds >= 0 ? `${formatDuration(seconds)} ago` : `in ${formatDuration(-seconds)}`;
}
