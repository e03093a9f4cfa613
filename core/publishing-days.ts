/** Days a publishing strip covers (the overview's bars, Statuspage style, for publishing). */
export const PUBLISHING_HISTORY_DAYS = 90;

const DAY_MS = 86_400_000;

/** The UTC midnight that starts the day of `at`. */
function dayStart(at: Date): number {
  return Math.floor(at.getTime() / DAY_MS) * DAY_MS;
}

/**
 * Updates published per UTC day over the `days` days ending with today, oldest first; null for a day we know nothing
 * about — after the day of our last successful poll, or before our first poll when the mirror gave no time of its own
 * for a publication that day (a gap, never a zero that would read "published nothing").
 */
export function countPublishingDays(input: {
  publishedAt: readonly Date[];
  now: Date;
  firstPollAt: Date | null;
  lastSuccessAt: Date | null;
  days?: number;
}): (number | null)[] {
  const days = input.days ?? PUBLISHING_HISTORY_DAYS;
  const today = dayStart(input.now);
  const first = today - (days - 1) * DAY_MS;
  const counts = new Array<number>(days).fill(0);
  for (const at of input.publishedAt) {
    const index = (dayStart(at) - first) / DAY_MS;
    if (index >= 0 && index < days) counts[index]++;
  }
  const firstPollDay = input.firstPollAt ? dayStart(input.firstPollAt) : Number.POSITIVE_INFINITY;
  const lastSuccessDay = input.lastSuccessAt ? dayStart(input.lastSuccessAt) : Number.NEGATIVE_INFINITY;
  return counts.map((count, index) => {
    const day = first + index * DAY_MS;
    if (day > lastSuccessDay) return null;
    if (day < firstPollDay && count === 0) return null;
    return count;
  });
}
