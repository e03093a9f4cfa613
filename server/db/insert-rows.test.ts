import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseProvider, type TestDatabase } from "../../test/support/test-database";
import type { Db } from "./client";
import { insertRows } from "./insert-rows";

const issued = new Date("2023-06-20T09:15:30.123Z");

describe(`insertRows (${testDatabaseProvider()})`, () => {
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    await db.mirror.create({ data: { id: "m", name: "m", kind: "srpm-index", config: "{}" } });
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("stores every type as Prisma itself stores it: instants, booleans, nulls, integers and any text", async () => {
    const hostile = `it's "quoted", \\ back-slashed, ünïcödé, '); DROP TABLE "Advisory"; --, [1,2] and {"a":1}`;
    const written = await insertRows(
      db,
      "Advisory",
      ["id", "upstreamId", "type", "severity", "title", "issuedAt", "updatedAt", "url", "fetchedAt"],
      [
        ["RHSA-2023:0001", "redhat", "security", null, hostile, issued, issued, "https://example.org/1", issued],
        ["RHSA-2023:0002", "redhat", "bugfix", "Low", "", issued, new Date(0), "https://example.org/2", issued],
      ],
    );
    expect(written).toBe(2);
    await db.advisory.create({
      data: {
        id: "RHSA-2023:0003",
        upstreamId: "redhat",
        type: "security",
        title: hostile,
        issuedAt: issued,
        updatedAt: issued,
        url: "u",
        fetchedAt: issued,
      },
    });
    const [raw, viaPrisma] = await Promise.all([
      db.advisory.findUniqueOrThrow({ where: { id: "RHSA-2023:0001" } }),
      db.advisory.findUniqueOrThrow({ where: { id: "RHSA-2023:0003" } }),
    ]);
    expect(raw).toMatchObject({ severity: null, title: hostile, issuedAt: issued, cves: "" });
    expect(raw.title).toBe(viaPrisma.title);
    // The instants compare in SQL as Prisma's own do: the same text on SQLite, the same timestamp on PostgreSQL.
    expect(await db.advisory.count({ where: { issuedAt: issued } })).toBe(3);
    expect(await db.advisory.count({ where: { issuedAt: { gt: new Date(issued.getTime() - 1) } } })).toBe(3);
    expect((await db.advisory.findUniqueOrThrow({ where: { id: "RHSA-2023:0002" } })).updatedAt).toEqual(new Date(0));

    await insertRows(
      db,
      "MirrorUpdate",
      [
        "mirrorId",
        "advisoryId",
        "major",
        "status",
        "issuedAt",
        "publishedAt",
        "lagSeconds",
        "isPublishedBeforeTracking",
        "isUnchecked",
        "packages",
        "since",
      ],
      [
        ["m", "RHSA-2023:0001", 8, "published", issued, issued, 2_147_483_647, true, false, 3, issued],
        ["m", "RHSA-2023:0002", 9, "missing", issued, null, null, false, true, 1, issued],
      ],
    );
    const updates = await db.mirrorUpdate.findMany({ orderBy: { major: "asc" } });
    expect(
      updates.map(({ major, lagSeconds, isPublishedBeforeTracking, isUnchecked, publishedAt, nextChangeAt }) => ({
        major,
        lagSeconds,
        isPublishedBeforeTracking,
        isUnchecked,
        publishedAt,
        nextChangeAt,
      })),
    ).toEqual([
      { major: 8, lagSeconds: 2_147_483_647, isPublishedBeforeTracking: true, isUnchecked: false, publishedAt: issued, nextChangeAt: null },
      { major: 9, lagSeconds: null, isPublishedBeforeTracking: false, isUnchecked: true, publishedAt: null, nextChangeAt: null },
    ]);
    expect(await db.mirrorUpdate.count({ where: { isUnchecked: true } })).toBe(1);
  });

  it("writes many rows over several statements and skips conflicting ones when asked", async () => {
    const rows = Array.from({ length: 12_345 }, (_, index) => [
      "m",
      `pkg${index}`,
      null,
      "1.0",
      `${index}.el8`,
      8,
      "srpm",
      `ref${index}`,
      null,
      issued,
    ]);
    expect(
      await insertRows(
        db,
        "Evidence",
        ["mirrorId", "name", "epoch", "version", "release", "major", "kind", "ref", "url", "firstSeenAt"],
        rows,
      ),
    ).toBe(12_345);
    expect(await db.evidence.count({ where: { mirrorId: "m" } })).toBe(12_345);
    const ids = await db.evidence.findMany({ where: { mirrorId: "m" }, orderBy: { id: "asc" }, select: { id: true, release: true } });
    // Inserted in the order given.
    expect(ids.slice(0, 3).map((row) => row.release)).toEqual(["0.el8", "1.el8", "2.el8"]);
    expect(ids[12_344].release).toBe("12344.el8");

    const outbox = (key: string) => ["webhook", "https://hooks.example/a", "alert", `{"key":"${key}"}`, key, "pending", issued, issued];
    const columns = ["channel", "recipient", "kind", "payload", "dedupeKey", "status", "createdAt", "nextAttemptAt"];
    expect(await insertRows(db, "OutboxMessage", columns, [outbox("a"), outbox("b")], { onConflictDoNothing: "dedupeKey" })).toBe(2);
    expect(await insertRows(db, "OutboxMessage", columns, [outbox("b"), outbox("c")], { onConflictDoNothing: "dedupeKey" })).toBe(1);
    expect(await db.outboxMessage.count()).toBe(3);
  });
});
