import { spawnSync } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getEnv, resetEnvForTests } from "../env";
import { compileTrustedProxies, parseTrustedProxies, setClientAddressHeader, type TrustProxy } from "./set-client-address-header.mjs";

interface Seen {
  clientIp: string | undefined;
  forwardedFor: string | undefined;
  realIp: string | undefined;
}

/** A real HTTP server on loopback doing what scripts/web-server.mjs does before Next sees a request. */
async function startServer(trustedProxies: string): Promise<{ url: string; close(): Promise<void> }> {
  const trust: TrustProxy = compileTrustedProxies(trustedProxies);
  const server = http.createServer((request, response) => {
    setClientAddressHeader(request, trust);
    const seen: Seen = {
      clientIp: request.headers["x-srcwatch-client-ip"] as string | undefined,
      forwardedFor: request.headers["x-forwarded-for"] as string | undefined,
      realIp: request.headers["x-real-ip"] as string | undefined,
    };
    response.setHeader("content-type", "application/json");
    response.end(JSON.stringify(seen));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function send(url: string, headers: Record<string, string>): Promise<Seen> {
  const response = await fetch(url, { headers });
  return (await response.json()) as Seen;
}

describe("the client address header set by the web server", () => {
  describe("without trusted proxies", () => {
    let server: Awaited<ReturnType<typeof startServer>>;
    beforeAll(async () => {
      server = await startServer("");
    });
    afterAll(() => server.close());

    it("is the socket's address whatever X-Forwarded-For, X-Real-IP or the header itself claim", async () => {
      const seen: Seen[] = [];
      for (let index = 1; index <= 30; index++) {
        seen.push(
          await send(server.url, {
            "x-forwarded-for": `203.0.113.${index}, 198.51.100.${index}`,
            "x-real-ip": `192.0.2.${index}`,
            "x-srcwatch-client-ip": `192.0.2.${index}`,
          }),
        );
      }
      expect(new Set(seen.map((entry) => entry.clientIp))).toEqual(new Set(["127.0.0.1"]));
      expect(new Set(seen.map((entry) => entry.forwardedFor))).toEqual(new Set(["127.0.0.1"]));
      expect(seen.every((entry) => entry.realIp === undefined)).toBe(true);
    });

    it("is the socket's address when no forwarding header is sent", async () => {
      expect(await send(server.url, {})).toEqual({ clientIp: "127.0.0.1", forwardedFor: "127.0.0.1" });
    });
  });

  describe("behind a trusted proxy on 127.0.0.1", () => {
    let server: Awaited<ReturnType<typeof startServer>>;
    beforeAll(async () => {
      server = await startServer("127.0.0.1");
    });
    afterAll(() => server.close());

    it("takes the hop the proxy appended, not what the client wrote before it", async () => {
      expect((await send(server.url, { "x-forwarded-for": "203.0.113.9" })).clientIp).toBe("203.0.113.9");
      expect((await send(server.url, { "x-forwarded-for": "198.51.100.1, 203.0.113.9" })).clientIp).toBe("203.0.113.9");
      expect(
        (await send(server.url, { "x-forwarded-for": "198.51.100.1, 203.0.113.9", "x-srcwatch-client-ip": "198.51.100.1" })).clientIp,
      ).toBe("203.0.113.9");
    });

    it("passes on only the computed address as X-Forwarded-For", async () => {
      expect((await send(server.url, { "x-forwarded-for": "198.51.100.1, 203.0.113.9" })).forwardedFor).toBe("203.0.113.9");
    });

    it("keeps the proxy's own address when it forwards nothing or garbage", async () => {
      expect((await send(server.url, {})).clientIp).toBe("127.0.0.1");
      expect((await send(server.url, { "x-forwarded-for": "not-an-address" })).clientIp).toBe("127.0.0.1");
    });

    it("walks back through every trusted hop to the first untrusted one", async () => {
      const chained = await startServer("loopback, 10.0.0.0/8");
      try {
        expect((await send(chained.url, { "x-forwarded-for": "198.51.100.1, 203.0.113.9, 10.1.2.3, 10.9.9.9" })).clientIp).toBe(
          "203.0.113.9",
        );
        expect((await send(chained.url, { "x-forwarded-for": "2001:DB8::1, 10.1.2.3" })).clientIp).toBe("2001:db8::1");
        expect((await send(chained.url, { "x-forwarded-for": "::ffff:203.0.113.7" })).clientIp).toBe("203.0.113.7");
      } finally {
        await chained.close();
      }
    });
  });
});

describe("SRCWATCH_TRUSTED_PROXIES", () => {
  afterEach(() => {
    delete process.env.SRCWATCH_TRUSTED_PROXIES;
    resetEnvForTests();
  });

  it.each([
    [undefined, []],
    ["", []],
    [" , ", []],
    ["loopback", ["loopback"]],
    [" 10.0.0.0/8 ,loopback,, 2001:db8::/32 , 192.0.2.1", ["10.0.0.0/8", "loopback", "2001:db8::/32", "192.0.2.1"]],
    ["172.16.0.0/255.240.0.0", ["172.16.0.0/255.240.0.0"]],
  ])("reads %j as %j", (value, expected) => {
    expect(parseTrustedProxies(value)).toEqual(expected);
  });

  it.each(["*", "true", "all", "proxy.example.org", "10.0.0.0/33", "0.0.0.0/0", "::/0", "256.1.1.1", "loopback 10.0.0.1"])(
    "refuses %j, naming it",
    (value) => {
      expect(() => parseTrustedProxies(`loopback,${value}`)).toThrow(`SRCWATCH_TRUSTED_PROXIES: "${value}" is not an IP address`);
    },
  );

  it("is validated by server/env.ts with the same rule", () => {
    process.env.SRCWATCH_TRUSTED_PROXIES = " loopback, 10.0.0.0/8 ";
    expect(getEnv().SRCWATCH_TRUSTED_PROXIES).toEqual(["loopback", "10.0.0.0/8"]);
    resetEnvForTests();
    process.env.SRCWATCH_TRUSTED_PROXIES = "loopback,10.0.0.0/33";
    expect(() => getEnv()).toThrow('Invalid environment: SRCWATCH_TRUSTED_PROXIES: "10.0.0.0/33" is not an IP address');
  });

  it("stops the web server at start when invalid", () => {
    const webServer = path.resolve(import.meta.dirname, "../../scripts/web-server.mjs");
    const result = spawnSync(process.execPath, [webServer, "-p", "0"], {
      env: { ...process.env, SRCWATCH_TRUSTED_PROXIES: "loopback,proxy.example.org" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('SRCWATCH_TRUSTED_PROXIES: "proxy.example.org" is not an IP address');
  });
});
