export const TIME_BUCKET_UNITS = ["hour", "day", "week", "month"] as const;
export type TimeBucketUnit = (typeof TIME_BUCKET_UNITS)[number];

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The start of the UTC bucket holding `at`; weeks start on Monday (ISO 8601). */
export function floorToBucket(at: Date, unit: TimeBucketUnit): Date {
  const ms = at.getTime();
  switch (unit) {
    case "hour":
      return new Date(Math.floor(ms / HOUR_MS) * HOUR_MS);
    case "day":
      return new Date(Math.floor(ms / DAY_MS) * DAY_MS);
    case "week": {
      const day = new Date(Math.floor(ms / DAY_MS) * DAY_MS);
      const daysSinceMonday = (day.getUTCDay() + 6) % 7;
      return new Date(day.getTime() - daysSinceMonday * DAY_MS);
    }
    case "month":
      return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  }
}

export function addBuckets(start: Date, unit: TimeBucketUnit, count: number): Date {
  switch (unit) {
    case "hour":
      return new Date(start.getTime() + count * HOUR_MS);
    case "day":
      return new Date(start.getTime() + count * DAY_MS);
    case "week":
      return new Date(start.getTime() + count * 7 * DAY_MS);
    case "month":
      return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + count, 1));
  }
}

/** Consecutive buckets from the one holding `from` to the one holding `to`, both included. */
export function listBuckets(from: Date, to: Date, unit: TimeBucketUnit): { startAt: Date; endAt: Date }[] {
  const buckets: { startAt: Date; endAt: Date }[] = [];
  if (from.getTime() > to.getTime()) return buckets;
  let startAt = floorToBucket(from, unit);
  while (startAt.getTime() <= to.getTime()) {
    const endAt = addBuckets(startAt, unit, 1);
    buckets.push({ startAt, endAt });
    startAt = endAt;
  }
  return buckets;
}
