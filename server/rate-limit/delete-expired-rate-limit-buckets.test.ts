import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseProvider, type TestDatabase } from "../../test/support/test-database";
import { consumeRateLimit } from "./consume-rate-limit";
import { deleteExpiredRateLimitBuckets } from "./delete-expired-rate-limit-buckets";

const NOW = new Date("2023-06-20T12:30:00Z");
const hoursBefore = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);

describe(`deleteExpiredRateLimitBuckets (${testDatabaseProvider()})`, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });
  beforeEach(async () => {
    await database.db.rateLimitBucket.deleteMany({});
  });

  const keys = async () =>
    (await database.db.rateLimitBucket.findMany({ select: { key: true }, orderBy: { key: "asc" } })).map((bucket) => bucket.key);

  it("deletes buckets whose window ended, whatever their window, and keeps any that may still be counting", async () => {
    await consumeRateLimit(database.db, { key: "hour/ended-a-day-ago", limit: 10, windowSeconds: 3600, now: hoursBefore(25) });
    await consumeRateLimit(database.db, { key: "day/ended", limit: 3, windowSeconds: 86_400, now: hoursBefore(36.5) });
    await consumeRateLimit(database.db, { key: "day/running", limit: 3, windowSeconds: 86_400, now: hoursBefore(1) });
    await consumeRateLimit(database.db, { key: "hour/running", limit: 10, windowSeconds: 3600, now: NOW });
    expect(await deleteExpiredRateLimitBuckets(database.db, NOW)).toEqual({ deleted: 2, isComplete: true });
    expect(await keys()).toEqual(["day/running", "hour/running"]);
    expect(await deleteExpiredRateLimitBuckets(database.db, NOW)).toEqual({ deleted: 0, isComplete: true });
  });

  it("leaves a limit exactly as strict: a deleted key starts a fresh window, a kept one keeps its count", async () => {
    const use = (key: string, now: Date) => consumeRateLimit(database.db, { key, limit: 1, windowSeconds: 86_400, now });
    await use("ip/old", hoursBefore(48));
    await use("ip/today", NOW);
    await deleteExpiredRateLimitBuckets(database.db, NOW);
    expect(await use("ip/old", NOW)).toMatchObject({ allowed: true });
    expect(await use("ip/today", NOW)).toMatchObject({ allowed: false });
  });

  it("works in bounded batches, and a pass stopped by maxRows is finished by the next", async () => {
    const expired = Array.from({ length: 1234 }, (_, index) => ({
      key: `flood/${index}`,
      windowStart: hoursBefore(48 + (index % 7)),
      count: 1,
    }));
    await database.db.rateLimitBucket.createMany({ data: [...expired, { key: "fresh", windowStart: NOW, count: 1 }] });
    expect(await deleteExpiredRateLimitBuckets(database.db, NOW, { batchSize: 100, maxRows: 1000 })).toEqual({
      deleted: 1000,
      isComplete: false,
    });
    expect(await database.db.rateLimitBucket.count()).toBe(235);
    expect(await deleteExpiredRateLimitBuckets(database.db, NOW, { batchSize: 100, maxRows: 1000 })).toEqual({
      deleted: 234,
      isComplete: true,
    });
    expect(await keys()).toEqual(["fresh"]);
  });

  it("refuses a limit whose window is longer than the clean-up assumes", async () => {
    await expect(consumeRateLimit(database.db, { key: "week", limit: 1, windowSeconds: 7 * 86_400, now: NOW })).rejects.toThrow(RangeError);
    await expect(consumeRateLimit(database.db, { key: "zero", limit: 1, windowSeconds: 0, now: NOW })).rejects.toThrow(RangeError);
  });
});
