import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseProvider, type TestDatabase } from "../../test/support/test-database";
import { createDb, type Db } from "../db/client";
import { claimOutboxMessage, claimOutboxMessages, listClaimableOutboxIds } from "./claim-outbox-messages";

const now = new Date("2023-06-16T10:00:00Z");
const seconds = (value: number) => new Date(now.getTime() + value * 1000);

describe(`claimOutboxMessages (${testDatabaseProvider()})`, () => {
  let database: TestDatabase;
  let db: Db;

  async function addRow(dedupeKey: string, overrides: Record<string, unknown> = {}) {
    return db.outboxMessage.create({
      data: {
        dedupeKey,
        channel: "email",
        kind: "alert",
        recipient: "a@example.org",
        status: "pending",
        nextAttemptAt: now,
        createdAt: now,
        ...overrides,
      },
    });
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
  });
  afterAll(async () => {
    await database?.drop();
  });
  beforeEach(async () => {
    await db.outboxMessage.deleteMany();
  });

  it("gives a row to the first worker only when both saw it as claimable", async () => {
    const rows = [await addRow("a"), await addRow("b"), await addRow("c")];
    const seenByA = await listClaimableOutboxIds(db, { now, limit: 10 });
    const seenByB = await listClaimableOutboxIds(db, { now, limit: 10 });
    expect(seenByB).toEqual(seenByA);
    for (const id of seenByA) expect(await claimOutboxMessage(db, id, { now, workerId: "a", claimSeconds: 60 })).toBe(true);
    for (const id of seenByB) expect(await claimOutboxMessage(db, id, { now, workerId: "b", claimSeconds: 60 })).toBe(false);
    const stored = await db.outboxMessage.findMany({ where: { id: { in: rows.map((row) => row.id) } } });
    expect(stored.map((row) => [row.status, row.lockedBy, row.lockedUntil])).toEqual(rows.map(() => ["sending", "a", seconds(60)]));
  });

  it("skips rows that are not due, held, sent or claimed by a live worker", async () => {
    await addRow("later", { nextAttemptAt: seconds(1) });
    await addRow("held", { status: "held" });
    await addRow("sent", { status: "sent" });
    await addRow("live-claim", { status: "sending", lockedBy: "x", lockedUntil: seconds(30) });
    const due = await addRow("due");
    expect((await claimOutboxMessages(db, { now, workerId: "w", limit: 10, claimSeconds: 60 })).map((row) => row.id)).toEqual([due.id]);
  });

  it("takes over a row whose worker died while sending, once the claim expired", async () => {
    const row = await addRow("crashed", { status: "sending", lockedBy: "dead", lockedUntil: seconds(-1), attempts: 1 });
    const claimed = await claimOutboxMessages(db, { now, workerId: "w", limit: 10, claimSeconds: 60 });
    expect(claimed).toHaveLength(1);
    // The dead worker's claim counted as an attempt: a message that kills every worker still ends up failed.
    expect(claimed[0]).toMatchObject({ id: row.id, status: "sending", lockedBy: "w", attempts: 2 });
  });

  it("splits rows between many concurrent workers without overlap", async () => {
    for (let index = 0; index < 40; index += 1) await addRow(`row-${index}`);
    const clients = Array.from({ length: 4 }, () => createDb(database.target));
    try {
      const claims = await Promise.all(
        clients.map((client, index) => claimOutboxMessages(client, { now, workerId: `w${index}`, limit: 40, claimSeconds: 60 })),
      );
      const ids = claims.flat().map((row) => row.id);
      expect(ids).toHaveLength(40);
      expect(new Set(ids).size).toBe(40);
    } finally {
      await Promise.all(clients.map((client) => client.$disconnect()));
    }
  });

  it("only claims the channels asked for", async () => {
    await addRow("mail");
    const hook = await addRow("hook", { channel: "webhook", recipient: "ops" });
    expect(
      (await claimOutboxMessages(db, { now, workerId: "w", limit: 10, claimSeconds: 60, channels: ["webhook"] })).map((row) => row.id),
    ).toEqual([hook.id]);
  });
});
