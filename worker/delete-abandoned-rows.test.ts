import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../server/config/load-config";
import { subscribe } from "../server/subscriptions/subscribe";
import { SubscribeRequest } from "../contract/subscription-dto";
import { createTestDatabase, testDatabaseProvider, type TestDatabase } from "../test/support/test-database";
import { deleteAbandonedRows } from "./delete-abandoned-rows";

const config = parseConfig(
  {
    upstreams: [{ id: "feed", kind: "csaf", name: "Feed", baseUrl: "http://127.0.0.1:1/", startDate: "2023-01-01", majors: [8] }],
    mirrors: [
      {
        id: "git.centos.org",
        kind: "git-forge",
        name: "CentOS Git",
        majors: [8],
        repoUrlTemplate: "http://127.0.0.1:1/{name}.git",
        tagTemplate: "imports/c{major}/{nvr}",
        tagWebUrlTemplate: "x",
      },
    ],
    notifications: {
      publicUrl: "http://srcwatch.test",
      email: { smtp: { host: "127.0.0.1", port: 2525 }, from: "srcwatch <alerts@srcwatch.test>" },
      limits: { subscribeRequestsPerIpPerHour: 10, confirmationMailsPerAddressPerDay: 3 },
    },
  },
  "abandoned rows test",
);

describe(`deleteAbandonedRows (${testDatabaseProvider()})`, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("leaves nothing of a week-old flood of never-confirmed subscriptions, and keeps what is still in use", async () => {
    const { db } = database;
    const floodAt = new Date("2023-06-10T08:00:00Z");
    for (let client = 1; client <= 5; client++) {
      for (let index = 1; index <= 12; index++) {
        const request = SubscribeRequest.parse({ email: `victim${client}-${index}@example.org` });
        await subscribe(db, { request, clientIp: `203.0.113.${client}`, config, now: floodAt }).catch(() => undefined);
      }
    }
    expect(await db.subscription.count()).toBe(50);
    expect(await db.outboxMessage.count()).toBe(50);
    expect(await db.rateLimitBucket.count()).toBe(5 + 50);

    const weekLater = new Date("2023-06-17T08:00:01Z");
    await subscribe(db, {
      request: SubscribeRequest.parse({ email: "new@example.org" }),
      clientIp: "198.51.100.1",
      config,
      now: weekLater,
    });
    const logger = pino({ level: "silent" });
    expect(await deleteAbandonedRows({ db, now: () => weekLater, logger })).toEqual({
      rateLimitBuckets: 55,
      unconfirmedSubscriptions: 50,
      isComplete: true,
    });
    expect(await db.subscription.findMany({ select: { email: true } })).toEqual([{ email: "new@example.org" }]);
    expect(await db.outboxMessage.count()).toBe(1);
    expect(await db.rateLimitBucket.count()).toBe(2);
  });
});
