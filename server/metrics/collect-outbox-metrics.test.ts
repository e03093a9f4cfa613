import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseProvider, type TestDatabase } from "../../test/support/test-database";
import { collectOutboxMetrics } from "./collect-metrics";

describe(`collectOutboxMetrics (${testDatabaseProvider()})`, () => {
  let database: TestDatabase;
  const now = new Date("2023-06-16T10:00:00Z");

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  async function scrape(): Promise<string> {
    const registry = new Registry();
    for (const metric of await collectOutboxMetrics({ db: database.db, now })) registry.registerMetric(metric);
    return registry.metrics();
  }

  it("reports zero depth and no wait on an empty outbox", async () => {
    const text = await scrape();
    expect(text).toContain('srcwatch_outbox_depth{status="pending"} 0');
    expect(text).toContain("srcwatch_outbox_oldest_pending_seconds 0");
  });

  it("counts rows per status and how long the oldest undelivered one has waited", async () => {
    const row = (dedupeKey: string, status: string, createdAt: Date) => ({
      dedupeKey,
      channel: "email",
      kind: "alert",
      recipient: "a@example.org",
      status,
      nextAttemptAt: createdAt,
      createdAt,
    });
    await database.db.outboxMessage.createMany({
      data: [
        row("a", "pending", new Date("2023-06-16T09:00:00Z")),
        row("b", "pending", new Date("2023-06-16T09:30:00Z")),
        row("c", "sent", new Date("2023-06-15T00:00:00Z")),
        row("d", "held", new Date("2023-06-14T00:00:00Z")),
      ],
    });
    const text = await scrape();
    expect(text).toContain('srcwatch_outbox_depth{status="pending"} 2');
    expect(text).toContain('srcwatch_outbox_depth{status="sent"} 1');
    expect(text).toContain('srcwatch_outbox_depth{status="held"} 1');
    expect(text).toContain('srcwatch_outbox_depth{status="failed"} 0');
    expect(text).toContain("srcwatch_outbox_oldest_pending_seconds 3600");
  });
});
