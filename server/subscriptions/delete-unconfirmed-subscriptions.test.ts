import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseProvider, type TestDatabase } from "../../test/support/test-database";
import { deleteUnconfirmedSubscriptions } from "./delete-unconfirmed-subscriptions";
import { confirmationOutboxKey } from "./subscribe";

const NOW = new Date("2023-06-20T12:00:00Z");
const daysBefore = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

describe(`deleteUnconfirmedSubscriptions (${testDatabaseProvider()})`, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });
  beforeEach(async () => {
    await database.db.outboxMessage.deleteMany({});
    await database.db.subscription.deleteMany({});
  });

  /** A subscription as subscribe() leaves it, with its confirmation mail in `confirmation` state. */
  async function addSubscription(
    email: string,
    input: { status?: string; createdAt: Date; confirmation?: { status: string; sentAt?: Date } | null },
  ): Promise<number> {
    const { db } = database;
    const status = input.status ?? "pending";
    const subscription = await db.subscription.create({
      data: { email, status, scope: "{}", createdAt: input.createdAt, ...(status === "active" ? { confirmedAt: input.createdAt } : {}) },
    });
    const confirmation = input.confirmation === undefined ? { status: "sent", sentAt: input.createdAt } : input.confirmation;
    if (confirmation) {
      await db.outboxMessage.create({
        data: {
          dedupeKey: confirmationOutboxKey(subscription.id, 1),
          channel: "email",
          kind: "confirmation",
          recipient: email,
          subscriptionId: subscription.id,
          status: confirmation.status,
          nextAttemptAt: input.createdAt,
          createdAt: input.createdAt,
          sentAt: confirmation.sentAt ?? null,
          ...(confirmation.status === "sending" ? { lockedBy: "worker-1", lockedUntil: daysBefore(1) } : {}),
        },
      });
    }
    return subscription.id;
  }

  const remainingEmails = async () =>
    (await database.db.subscription.findMany({ select: { email: true }, orderBy: { email: "asc" } })).map(
      (subscription) => subscription.email,
    );

  it("deletes pending subscriptions whose only confirmation link expired, with their outbox rows, and keeps the rest", async () => {
    const abandoned = await addSubscription("abandoned@example.org", { createdAt: daysBefore(8) });
    const neverMailed = await addSubscription("never-mailed@example.org", {
      createdAt: daysBefore(9),
      confirmation: { status: "pending" },
    });
    await addSubscription("gave-up@example.org", { createdAt: daysBefore(30), confirmation: { status: "failed" } });
    await addSubscription("mailed-late@example.org", { createdAt: daysBefore(8), confirmation: { status: "sent", sentAt: daysBefore(6) } });
    await addSubscription("being-mailed@example.org", { createdAt: daysBefore(8), confirmation: { status: "sending" } });
    await addSubscription("recent@example.org", { createdAt: daysBefore(6.9) });
    const active = await addSubscription("active@example.org", { status: "active", createdAt: daysBefore(60) });
    await database.db.outboxMessage.create({
      data: {
        dedupeKey: `alert-event/1/subscription/${active}`,
        channel: "email",
        kind: "alert",
        recipient: "active@example.org",
        subscriptionId: active,
        status: "sent",
        nextAttemptAt: daysBefore(40),
        createdAt: daysBefore(40),
        sentAt: daysBefore(40),
      },
    });
    await addSubscription("left@example.org", { status: "unsubscribed", createdAt: daysBefore(60) });

    expect(await deleteUnconfirmedSubscriptions(database.db, NOW)).toEqual({ deleted: 3, isComplete: true });
    expect(await remainingEmails()).toEqual([
      "active@example.org",
      "being-mailed@example.org",
      "left@example.org",
      "mailed-late@example.org",
      "recent@example.org",
    ]);
    expect(await database.db.outboxMessage.count({ where: { subscriptionId: { in: [abandoned, neverMailed] } } })).toBe(0);
    expect(await database.db.outboxMessage.count({ where: { recipient: { in: ["gave-up@example.org"] } } })).toBe(0);
    expect(await database.db.outboxMessage.count({ where: { subscriptionId: active } })).toBe(2);
    expect(await deleteUnconfirmedSubscriptions(database.db, NOW)).toEqual({ deleted: 0, isComplete: true });
  });

  it("deletes a subscription once the link of its late confirmation mail has expired too", async () => {
    await addSubscription("mailed-late@example.org", {
      createdAt: daysBefore(10),
      confirmation: { status: "sent", sentAt: daysBefore(6) },
    });
    expect((await deleteUnconfirmedSubscriptions(database.db, NOW)).deleted).toBe(0);
    expect((await deleteUnconfirmedSubscriptions(database.db, new Date(daysBefore(6).getTime() + 7 * 86_400_000 + 1))).deleted).toBe(1);
    expect(await remainingEmails()).toEqual([]);
  });

  it("deletes at most maxRows per call in batches, and never stalls behind subscriptions it must keep", async () => {
    const { db } = database;
    for (let index = 0; index < 150; index++) {
      await addSubscription(`kept${String(index).padStart(3, "0")}@example.org`, {
        createdAt: daysBefore(8),
        confirmation: { status: "sent", sentAt: daysBefore(1) },
      });
    }
    await db.subscription.createMany({
      data: Array.from({ length: 320 }, (_, index) => ({
        email: `flood${index}@example.org`,
        status: "pending",
        scope: "{}",
        createdAt: daysBefore(8),
      })),
    });
    expect(await deleteUnconfirmedSubscriptions(db, NOW, { batchSize: 100, maxRows: 300 })).toEqual({ deleted: 300, isComplete: false });
    expect(await deleteUnconfirmedSubscriptions(db, NOW, { batchSize: 100, maxRows: 300 })).toEqual({ deleted: 20, isComplete: true });
    expect(await db.subscription.count({ where: { email: { startsWith: "flood" } } })).toBe(0);
    expect(await db.subscription.count({ where: { email: { startsWith: "kept" } } })).toBe(150);
  });
});
