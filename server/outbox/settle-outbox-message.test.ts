import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { NotificationsConfig } from "../../core/config";
import { createTestDatabase, testDatabaseProvider, type TestDatabase } from "../../test/support/test-database";
import { claimOutboxMessages } from "./claim-outbox-messages";
import { settleOutboxMessage } from "./settle-outbox-message";

const now = new Date("2023-06-16T10:00:00Z");
const delivery = NotificationsConfig.parse({}).delivery;

describe(`settleOutboxMessage (${testDatabaseProvider()})`, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });
  beforeEach(async () => {
    await database.db.outboxMessage.deleteMany();
    await database.db.outboxMessage.create({
      data: {
        dedupeKey: "k",
        channel: "email",
        kind: "alert",
        recipient: "a@example.org",
        status: "pending",
        nextAttemptAt: now,
        createdAt: now,
      },
    });
  });

  const claim = async (workerId: string, at: Date) => {
    const [message] = await claimOutboxMessages(database.db, { now: at, workerId, limit: 1, claimSeconds: 60 });
    return message;
  };

  it("records what the delivery came to for the worker that holds the claim", async () => {
    const message = await claim("a", now);
    expect(
      await settleOutboxMessage(database.db, message, { outcome: "sent", providerId: "<id@x>" }, { now, workerId: "a", delivery }),
    ).toEqual({
      status: "sent",
    });
    expect(await database.db.outboxMessage.findFirst()).toMatchObject({
      status: "sent",
      sentAt: now,
      providerId: "<id@x>",
      lockedBy: null,
    });
  });

  it("puts a failed attempt back after the backoff, and fails it for good at maxAttempts", async () => {
    const message = await claim("a", now);
    const retried = await settleOutboxMessage(
      database.db,
      message,
      { outcome: "retry", error: "421 busy" },
      { now, workerId: "a", delivery },
    );
    expect(retried.status).toBe("retried");
    const row = await database.db.outboxMessage.findFirstOrThrow();
    expect(row).toMatchObject({ status: "pending", lastError: "421 busy", attempts: 1 });
    expect(row.nextAttemptAt.getTime() - now.getTime()).toBe(retried.delaySeconds! * 1000);

    const last = { ...message, attempts: delivery.maxAttempts };
    await database.db.outboxMessage.update({ where: { id: message.id }, data: { status: "sending", lockedBy: "a" } });
    expect(await settleOutboxMessage(database.db, last, { outcome: "retry", error: "421 busy" }, { now, workerId: "a", delivery })).toEqual(
      {
        status: "failed",
      },
    );
  });

  it("never overwrites a row whose claim expired and another worker took: the late worker's outcome is lost, not recorded", async () => {
    const slow = await claim("slow", now);
    const later = new Date(now.getTime() + 61_000);
    const taken = await claim("fast", later);
    expect(taken.id).toBe(slow.id);
    expect(
      await settleOutboxMessage(database.db, slow, { outcome: "sent", providerId: "late" }, { now: later, workerId: "slow", delivery }),
    ).toEqual({
      status: "lost",
    });
    expect(await database.db.outboxMessage.findFirst()).toMatchObject({ status: "sending", lockedBy: "fast", providerId: null });
  });
});
