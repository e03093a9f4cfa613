import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as subscribeRoute } from "../../app/api/v1/subscriptions/route";
import { setConfigForTests } from "../../server/config/get-config";
import { parseConfig } from "../../server/config/load-config";
import { setDbForTests } from "../../server/db/client";
import {
  compileTrustedProxies,
  markClientAddressHeaderTrusted,
  setClientAddressHeader,
} from "../../server/http/set-client-address-header.mjs";
import { createTestDatabase, testDatabaseProvider, type TestDatabase } from "../support/test-database";

const PER_IP_PER_HOUR = 10;

/**
 * What scripts/web-server.mjs does, with the subscribe route in place of Next: the client address header is set
 * from the socket and the trusted proxies, then the request is handed to the route as Next would.
 */
async function startWebServer(trustedProxies: string): Promise<{ url: string; close(): Promise<void> }> {
  const trust = compileTrustedProxies(trustedProxies);
  markClientAddressHeaderTrusted();
  const server = http.createServer(async (incoming, outgoing) => {
    setClientAddressHeader(incoming, trust);
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(incoming.headers)) {
      for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, item);
    }
    const response = await subscribeRoute(
      new Request(`http://${incoming.headers.host}${incoming.url}`, { method: incoming.method, headers, body: Buffer.concat(chunks) }),
    );
    outgoing.writeHead(response.status, Object.fromEntries(response.headers));
    outgoing.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function configFor(publicUrl: string) {
  return parseConfig(
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
        publicUrl,
        email: { smtp: { host: "127.0.0.1", port: 2525 }, from: "srcwatch <alerts@srcwatch.test>" },
        limits: { subscribeRequestsPerIpPerHour: PER_IP_PER_HOUR, confirmationMailsPerAddressPerDay: 3 },
      },
    },
    "client address test",
  );
}

describe(`the per-address subscribe limit against rotated X-Forwarded-For (${testDatabaseProvider()})`, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    setDbForTests(database.db);
  });
  afterAll(async () => {
    setDbForTests(undefined);
    setConfigForTests(undefined);
    await database?.drop();
  });

  async function subscribeThrough(server: { url: string }, email: string, forwardedFor: string): Promise<number> {
    const response = await fetch(`${server.url}/api/v1/subscriptions`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: server.url, "x-forwarded-for": forwardedFor, "x-real-ip": forwardedFor },
      body: JSON.stringify({ email }),
    });
    await response.arrayBuffer();
    return response.status;
  }

  it("answers 429 to one client rotating X-Forwarded-For once it has sent its 10 an hour", async () => {
    const server = await startWebServer("");
    setConfigForTests(configFor(server.url));
    try {
      const statuses: number[] = [];
      for (let index = 1; index <= 30; index++)
        statuses.push(await subscribeThrough(server, `rotating${index}@example.org`, `203.0.113.${index}`));
      expect(statuses.slice(0, PER_IP_PER_HOUR)).toEqual(Array(PER_IP_PER_HOUR).fill(202));
      expect(statuses.slice(PER_IP_PER_HOUR)).toEqual(Array(30 - PER_IP_PER_HOUR).fill(429));
      expect(await database.db.subscription.count({ where: { email: { startsWith: "rotating" } } })).toBe(PER_IP_PER_HOUR);
      expect(
        await database.db.rateLimitBucket.findMany({ where: { key: { startsWith: "subscribe/ip/" } }, select: { key: true, count: true } }),
      ).toEqual([{ key: "subscribe/ip/127.0.0.1", count: 30 }]);
    } finally {
      await server.close();
    }
  });

  it("counts each client behind a trusted proxy on its own, by the hop the proxy appended", async () => {
    await database.db.rateLimitBucket.deleteMany({});
    const server = await startWebServer("127.0.0.1");
    setConfigForTests(configFor(server.url));
    try {
      for (let index = 1; index <= 12; index++) {
        expect(await subscribeThrough(server, `proxied${index}@example.org`, `198.51.100.7, 192.0.2.${index}`)).toBe(202);
      }
      for (let index = 1; index <= PER_IP_PER_HOUR - 1; index++) {
        expect(await subscribeThrough(server, `same${index}@example.org`, `198.51.100.${index}, 192.0.2.1`)).toBe(202);
      }
      expect(await subscribeThrough(server, "same-last@example.org", "198.51.100.99, 192.0.2.1")).toBe(429);
      expect(await database.db.rateLimitBucket.count({ where: { key: { startsWith: "subscribe/ip/198.51.100." } } })).toBe(0);
    } finally {
      await server.close();
    }
  });
});
