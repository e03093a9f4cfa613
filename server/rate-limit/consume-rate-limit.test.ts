import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseProvider, type TestDatabase } from "../../test/support/test-database";
import { consumeRateLimit } from "./consume-rate-limit";

const at = (iso: string) => new Date(iso);

describe(`consumeRateLimit (${testDatabaseProvider()})`, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("allows `limit` uses per fixed window and tells how long until the window ends", async () => {
    const use = (now: Date) => consumeRateLimit(database.db, { key: "ip/a", limit: 3, windowSeconds: 3600, now });
    for (const minute of ["00", "10", "20"])
      expect(await use(at(`2023-06-16T10:${minute}:00Z`))).toEqual({ allowed: true, retryAfterSeconds: 0 });
    expect(await use(at("2023-06-16T10:45:00Z"))).toEqual({ allowed: false, retryAfterSeconds: 15 * 60 });
    expect(await use(at("2023-06-16T10:59:59.500Z"))).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(await use(at("2023-06-16T11:00:00Z"))).toEqual({ allowed: true, retryAfterSeconds: 0 });
    expect(
      await consumeRateLimit(database.db, { key: "ip/b", limit: 3, windowSeconds: 3600, now: at("2023-06-16T11:00:00Z") }),
    ).toMatchObject({ allowed: true });
  });

  it("never lets concurrent requests through beyond the limit", async () => {
    const now = at("2023-06-17T08:00:00Z");
    const decisions = await Promise.all(
      Array.from({ length: 12 }, () => consumeRateLimit(database.db, { key: "ip/burst", limit: 5, windowSeconds: 3600, now })),
    );
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(5);
    expect((await database.db.rateLimitBucket.findUniqueOrThrow({ where: { key: "ip/burst" } })).count).toBe(12);
  });

  it("counts a use from a window that a faster clock already ended as allowed, without resetting the newer window", async () => {
    const key = "ip/skew";
    await consumeRateLimit(database.db, { key, limit: 1, windowSeconds: 60, now: at("2023-06-18T00:05:00Z") });
    expect(await consumeRateLimit(database.db, { key, limit: 1, windowSeconds: 60, now: at("2023-06-18T00:04:00Z") })).toMatchObject({
      allowed: true,
    });
    expect(await consumeRateLimit(database.db, { key, limit: 1, windowSeconds: 60, now: at("2023-06-18T00:05:30Z") })).toMatchObject({
      allowed: false,
    });
  });
});
