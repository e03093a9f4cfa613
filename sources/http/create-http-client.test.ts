import http from "node:http";
import type { AddressInfo } from "node:net";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { createHttpClient, parseRetryAfter, type CreateHttpClientOptions } from "./create-http-client";

const servers: http.Server[] = [];
/** Hosts of the servers started by the test: the test clients may reach them on loopback. */
const serverHosts: string[] = [];

afterEach(async () => {
  serverHosts.splice(0);
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function startServer(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  serverHosts.push(host);
  return `http://${host}`;
}

function createTestClient(overrides: Partial<CreateHttpClientOptions> = {}) {
  return createHttpClient({
    userAgent: "srcwatch-test/1",
    timeoutMs: 5_000,
    maxResponseBytes: 1024 * 1024,
    retries: 2,
    perHostMinIntervalMs: 0,
    concurrency: 4,
    random: () => 0,
    allowedHosts: serverHosts,
    allowPrivateNetwork: true,
    ...overrides,
  });
}

describe("createHttpClient", () => {
  it("returns the body, validators and content type of a 200", async () => {
    const baseUrl = await startServer((request, response) => {
      response.writeHead(200, { "content-type": "text/plain", etag: '"v1"', "last-modified": "Wed, 21 Oct 2026 07:28:00 GMT" });
      response.end(`hello ${request.headers["user-agent"]}`);
    });
    const client = createTestClient();

    const result = await client.get(`${baseUrl}/file`);

    expect(result).toEqual({
      ok: true,
      url: `${baseUrl}/file`,
      status: 200,
      body: Buffer.from("hello srcwatch-test/1"),
      etag: '"v1"',
      lastModified: "Wed, 21 Oct 2026 07:28:00 GMT",
      contentType: "text/plain",
    });
    expect(client.stats).toEqual({ requests: 1, notModified: 0, bytes: 21, retries: 0 });
  });

  it("sends If-None-Match and If-Modified-Since and answers a 304 with a null body", async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const baseUrl = await startServer((request, response) => {
      seen.push(request.headers);
      if (request.headers["if-none-match"] === '"v1"') {
        response.writeHead(304, { etag: '"v1"' });
        response.end();
        return;
      }
      response.writeHead(200, { etag: '"v1"' });
      response.end("content");
    });
    const client = createTestClient();

    const first = await client.get(`${baseUrl}/changes.csv`);
    const second = await client.get(`${baseUrl}/changes.csv`, { etag: '"v1"', lastModified: "Wed, 21 Oct 2026 07:28:00 GMT" });

    expect(first.ok && first.status).toBe(200);
    expect(second).toMatchObject({ ok: true, status: 304, body: null, etag: '"v1"' });
    expect(seen[1]["if-modified-since"]).toBe("Wed, 21 Oct 2026 07:28:00 GMT");
    expect(client.stats).toMatchObject({ requests: 2, notModified: 1 });
  });

  it("asks for gzip and returns the decompressed body", async () => {
    const text = "RHSA-2026:0001,2026-01-01T00:00:00Z\n".repeat(200);
    let acceptEncoding: string | undefined;
    const baseUrl = await startServer((request, response) => {
      acceptEncoding = request.headers["accept-encoding"];
      response.writeHead(200, { "content-encoding": "gzip", "content-type": "text/csv" });
      response.end(gzipSync(text));
    });
    const client = createTestClient();

    const result = await client.get(`${baseUrl}/changes.csv`);

    expect(acceptEncoding).toContain("gzip");
    expect(result.ok && result.body?.toString()).toBe(text);
    expect(client.stats.bytes).toBe(text.length);
  });

  it.each([
    ["deflate", (body: string) => deflateSync(body)],
    ["br", (body: string) => brotliCompressSync(body)],
    ["gzip, gzip", (body: string) => gzipSync(gzipSync(body))],
    ["identity", (body: string) => Buffer.from(body)],
    ["compress (unknown: passed on as it came)", (body: string) => Buffer.from(body)],
  ])("undoes a %s content coding", async (coding, encode) => {
    const text = '{"document":{"tracking":{"id":"RHSA-2026:0001"}}}'.repeat(50);
    const baseUrl = await startServer((_request, response) => {
      response.writeHead(200, { "content-encoding": coding.split(" (")[0] });
      response.end(encode(text));
    });

    const result = await createTestClient().get(`${baseUrl}/doc.json`);

    expect(result.ok && result.body?.toString()).toBe(text);
  });

  it("refuses a chain of more than two content codings before decoding any", async () => {
    const baseUrl = await startServer((_request, response) => {
      response.writeHead(200, { "content-encoding": "gzip, gzip, gzip" });
      response.end(gzipSync(gzipSync(gzipSync("x"))));
    });

    const result = await createTestClient({ retries: 0 }).get(`${baseUrl}/onion`);

    expect(result).toMatchObject({ ok: false, error: { kind: "network", message: "3 content codings, more than 2" } });
  });

  it("counts the cap on the decoded bytes: a small gzip body that inflates past it is too large", async () => {
    const compressed = gzipSync(Buffer.alloc(8 * 1024 * 1024));
    const baseUrl = await startServer((_request, response) => {
      response.writeHead(200, { "content-encoding": "gzip", "content-length": String(compressed.length) });
      response.end(compressed);
    });
    const client = createTestClient({ maxResponseBytes: 1024 * 1024 });

    const result = await client.get(`${baseUrl}/bomb`);

    expect(compressed.length).toBeLessThan(64 * 1024);
    expect(result).toMatchObject({ ok: false, error: { kind: "too_large", message: "body exceeds the 1048576 byte cap" } });
    expect(client.stats.bytes).toBeLessThanOrEqual(1024 * 1024 + 64 * 1024);
  });

  it("reports a corrupt gzip body as a network error and retries it", async () => {
    let requests = 0;
    const baseUrl = await startServer((_request, response) => {
      requests++;
      response.writeHead(200, { "content-encoding": "gzip" });
      response.end(Buffer.from("this is not gzip at all"));
    });

    const result = await createTestClient({ retries: 1 }).get(`${baseUrl}/corrupt`);

    expect(result).toMatchObject({ ok: false, error: { kind: "network", message: "incorrect header check" } });
    expect(requests).toBe(2);
  });

  it("keeps its connections after answers it does not read: a 304, a redirect and an error", async () => {
    const sockets = new Set<unknown>();
    const baseUrl = await startServer((request, response) => {
      sockets.add(request.socket);
      // Bodies of some size, under what is read to keep the connection (64 KiB).
      if (request.url === "/moved") response.writeHead(302, { location: "/here" }).end("moved along ".repeat(4000));
      else if (request.url === "/gone") response.writeHead(404).end("not here ".repeat(5000));
      else if (request.headers["if-none-match"]) response.writeHead(304).end();
      else response.writeHead(200, { etag: '"a"' }).end("here");
    });
    const client = createTestClient({ concurrency: 1, retries: 0 });

    for (let round = 0; round < 4; round++) {
      for (const url of ["/here", "/moved", "/gone"]) await client.get(`${baseUrl}${url}`, url === "/here" ? { etag: '"a"' } : {});
    }

    // 16 requests (a redirect is two). The pool may open a second socket while the first is handed back, never one each.
    expect(sockets.size).toBeLessThanOrEqual(2);
  });

  it("refuses a body whose Content-Length is over the cap without reading it", async () => {
    const baseUrl = await startServer((_request, response) => {
      response.writeHead(200, { "content-length": "5000" });
      response.end("x".repeat(5000));
    });
    const client = createTestClient({ maxResponseBytes: 1000 });

    const result = await client.get(`${baseUrl}/big`);

    expect(result).toMatchObject({ ok: false, error: { kind: "too_large" } });
    expect(client.stats).toMatchObject({ requests: 1, retries: 0 });
  });

  it("aborts a streamed chunked body once it passes the cap", async () => {
    let isStillWriting = true;
    const baseUrl = await startServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/octet-stream" });
      const interval = setInterval(() => {
        if (response.destroyed || response.writableEnded) {
          isStillWriting = false;
          clearInterval(interval);
          return;
        }
        response.write(Buffer.alloc(400, 1));
      }, 5);
      response.on("close", () => {
        isStillWriting = false;
        clearInterval(interval);
      });
    });
    const client = createTestClient({ maxResponseBytes: 1000 });

    const result = await client.get(`${baseUrl}/endless`, { maxBytes: 1000 });

    expect(result).toMatchObject({ ok: false, error: { kind: "too_large" } });
    await expect.poll(() => isStillWriting).toBe(false);
  });

  it("times out a request that gets no answer", async () => {
    const baseUrl = await startServer(() => undefined);
    const client = createTestClient({ timeoutMs: 100, retries: 0 });

    const result = await client.get(`${baseUrl}/hang`);

    expect(result).toMatchObject({ ok: false, error: { kind: "timeout", url: `${baseUrl}/hang` } });
  });

  it("times out a body that stalls after the headers", async () => {
    const baseUrl = await startServer((_request, response) => {
      response.writeHead(200);
      response.write("partial");
    });
    const client = createTestClient({ timeoutMs: 150, retries: 0 });

    const result = await client.get(`${baseUrl}/stall`);

    expect(result).toMatchObject({ ok: false, error: { kind: "timeout" } });
  });

  it("retries a 500 with jittered backoff and then succeeds", async () => {
    let calls = 0;
    const baseUrl = await startServer((_request, response) => {
      calls++;
      response.writeHead(calls === 1 ? 500 : 200);
      response.end(calls === 1 ? "oops" : "fine");
    });
    const sleeps: number[] = [];
    const client = createTestClient({
      random: () => 0.5,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });

    const result = await client.get(`${baseUrl}/flaky`);

    expect(result.ok && result.body?.toString()).toBe("fine");
    expect(sleeps).toEqual([250]);
    expect(client.stats).toMatchObject({ requests: 2, retries: 1 });
  });

  it("gives up after the configured retries with the last HTTP status", async () => {
    const baseUrl = await startServer((_request, response) => {
      response.writeHead(502);
      response.end();
    });
    const client = createTestClient({ retries: 2, sleep: async () => undefined });

    const result = await client.get(`${baseUrl}/down`);

    expect(result).toMatchObject({ ok: false, error: { kind: "http", status: 502 } });
    expect(client.stats).toMatchObject({ requests: 3, retries: 2 });
  });

  it("does not retry a 404", async () => {
    const baseUrl = await startServer((_request, response) => {
      response.writeHead(404);
      response.end("no such thing");
    });
    const client = createTestClient({ sleep: async () => undefined });

    const result = await client.get(`${baseUrl}/missing`);

    expect(result).toMatchObject({ ok: false, error: { kind: "http", status: 404 } });
    expect(client.stats).toMatchObject({ requests: 1, retries: 0 });
  });

  it("waits the Retry-After of a 429 and then succeeds", async () => {
    let calls = 0;
    const baseUrl = await startServer((_request, response) => {
      calls++;
      if (calls === 1) response.writeHead(429, { "retry-after": "1" }).end();
      else response.writeHead(200).end("ok");
    });
    const sleeps: number[] = [];
    const client = createTestClient({
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });

    const result = await client.get(`${baseUrl}/limited`);

    expect(result.ok && result.body?.toString()).toBe("ok");
    expect(sleeps).toEqual([1000]);
    expect(client.stats).toMatchObject({ requests: 2, retries: 1 });
  });

  it("reports rate_limited once retries are spent on 429 answers", async () => {
    const baseUrl = await startServer((_request, response) => {
      response.writeHead(429, { "retry-after": "2" }).end();
    });
    const sleeps: number[] = [];
    const client = createTestClient({
      retries: 1,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });

    const result = await client.get(`${baseUrl}/limited`);

    expect(result).toMatchObject({ ok: false, error: { kind: "rate_limited", status: 429 } });
    expect(sleeps).toEqual([2000]);
  });

  it("gives up at once when a 503 asks to come back later than the cap", async () => {
    const nowMs = Date.parse("2026-01-01T00:00:00Z");
    const baseUrl = await startServer((_request, response) => {
      response.writeHead(503, { "retry-after": "Thu, 01 Jan 2026 01:00:00 GMT" }).end();
    });
    const client = createTestClient({ now: () => nowMs, sleep: async () => undefined });

    const result = await client.get(`${baseUrl}/maintenance`);

    expect(result).toMatchObject({ ok: false, error: { kind: "rate_limited", status: 503 } });
    expect(client.stats).toMatchObject({ requests: 1, retries: 0 });
  });

  it("reports a refused connection as a network error", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const client = createTestClient({ retries: 1, sleep: async () => undefined, allowedHosts: [`127.0.0.1:${port}`] });

    const result = await client.get(`http://127.0.0.1:${port}/`);

    expect(result).toMatchObject({ ok: false, error: { kind: "network" } });
    expect(!result.ok && result.error.message).toMatch(/ECONNREFUSED/);
    expect(client.stats).toMatchObject({ requests: 2, retries: 1 });
  });

  it("spaces the starts of concurrent requests to one host by the minimum interval", async () => {
    const startedAt: number[] = [];
    const baseUrl = await startServer((_request, response) => {
      startedAt.push(performance.now());
      response.end("ok");
    });
    const client = createTestClient({ perHostMinIntervalMs: 200 });

    const results = await Promise.all([client.get(`${baseUrl}/a`), client.get(`${baseUrl}/b`)]);

    expect(results.every((result) => result.ok)).toBe(true);
    expect(startedAt).toHaveLength(2);
    expect(startedAt[1] - startedAt[0]).toBeGreaterThanOrEqual(190);
  });

  it("keeps at most `concurrency` requests in flight per host", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const baseUrl = await startServer((_request, response) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => {
        inFlight--;
        response.end("ok");
      }, 30);
    });
    const client = createTestClient({ concurrency: 2 });

    const results = await Promise.all(Array.from({ length: 6 }, (_, index) => client.get(`${baseUrl}/${index}`)));

    expect(results.every((result) => result.ok)).toBe(true);
    expect(maxInFlight).toBe(2);
  });

  it("posts a raw body and returns the status and lower-cased headers", async () => {
    const baseUrl = await startServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        response.writeHead(200, { "Content-Type": "application/x-git-upload-pack-result", "X-Method": request.method });
        response.end(Buffer.concat(chunks));
      });
    });
    const client = createTestClient();

    const result = await client.request(`${baseUrl}/repo.git/git-upload-pack`, {
      method: "POST",
      headers: { "Git-Protocol": "version=2" },
      body: Buffer.from("0014command=ls-refs\n0000"),
    });

    expect(result).toMatchObject({
      ok: true,
      status: 200,
      headers: { "content-type": "application/x-git-upload-pack-result", "x-method": "POST" },
    });
    expect(result.ok && result.body.toString()).toBe("0014command=ls-refs\n0000");
  });
});

describe("createHttpClient stream", () => {
  const collectBytes = async (body: AsyncIterable<Buffer>) => {
    let bytes = 0;
    let chunks = 0;
    for await (const chunk of body) {
      bytes += chunk.length;
      chunks++;
    }
    return { bytes, chunks };
  };

  it("hands the body to the reader as it arrives, gzip undone, and returns what the reader returns", async () => {
    const payload = Buffer.alloc(3 * 1024 * 1024, "a");
    const baseUrl = await startServer((request, response) => {
      response.writeHead(200, { "content-encoding": "gzip", etag: '"v1"', "last-modified": "Sat, 10 Aug 2024 00:00:00 GMT" });
      response.end(gzipSync(payload));
    });
    const client = createTestClient({ maxResponseBytes: 1024 });
    const result = await client.stream(`${baseUrl}/archive.tar.zst`, { maxBytes: 4 * 1024 * 1024 }, collectBytes);
    expect(result).toMatchObject({
      ok: true,
      etag: '"v1"',
      lastModified: "Sat, 10 Aug 2024 00:00:00 GMT",
      value: { bytes: payload.length },
    });
    expect(result.ok && result.value.chunks).toBeGreaterThan(1);
    expect(client.stats.bytes).toBe(payload.length);
  });

  it("ends the download as too_large at the cap, counting the bytes as decoded", async () => {
    const baseUrl = await startServer((request, response) => {
      response.writeHead(200, { "content-encoding": "gzip" });
      response.end(gzipSync(Buffer.alloc(8 * 1024 * 1024)));
    });
    let seen = 0;
    const result = await createTestClient().stream(`${baseUrl}/bomb`, { maxBytes: 1024 * 1024 }, async (body) => {
      for await (const chunk of body) seen += chunk.length;
    });
    expect(result).toMatchObject({ ok: false, error: { kind: "too_large" } });
    expect(seen).toBeLessThanOrEqual(1024 * 1024);
  });

  it("retries a download that breaks off with a fresh call of the reader, and reports it as network when it keeps breaking", async () => {
    const baseUrl = await startServer((request, response) => {
      response.writeHead(200, { "content-length": "100000" });
      response.write(Buffer.alloc(1000));
      setTimeout(() => response.destroy(), 20);
    });
    let calls = 0;
    const result = await createTestClient({ retries: 2 }).stream(`${baseUrl}/archive`, {}, async (body) => {
      calls++;
      return collectBytes(body);
    });
    expect(result).toMatchObject({ ok: false, error: { kind: "network" } });
    expect(calls).toBe(3);
  });

  it("ends as parse, without retrying, when the reader itself fails", async () => {
    const baseUrl = await startServer((request, response) => response.end("not an archive"));
    let calls = 0;
    const result = await createTestClient({ retries: 2 }).stream(`${baseUrl}/archive`, {}, async () => {
      calls++;
      throw new Error("not a tar");
    });
    expect(result).toEqual({
      ok: false,
      error: { kind: "parse", message: "cannot read the answer: not a tar", url: `${baseUrl}/archive` },
    });
    expect(calls).toBe(1);
  });

  it("applies the request's own timeout to the whole download", async () => {
    const baseUrl = await startServer((request, response) => {
      response.writeHead(200);
      const timer = setInterval(() => response.write("x"), 20);
      response.on("close", () => clearInterval(timer));
    });
    const result = await createTestClient({ retries: 0, timeoutMs: 60_000 }).stream(`${baseUrl}/slow`, { timeoutMs: 300 }, collectBytes);
    expect(result).toMatchObject({ ok: false, error: { kind: "timeout", message: "no complete answer within 300 ms" } });
  });

  it("keeps to the egress policy", async () => {
    const result = await createTestClient({ allowedHosts: ["security.access.redhat.com"] }).stream(
      "http://127.0.0.1:9/archive",
      {},
      collectBytes,
    );
    expect(result).toMatchObject({ ok: false, error: { kind: "forbidden_destination" } });
  });
});

describe("parseRetryAfter", () => {
  const nowMs = Date.parse("2026-01-01T00:00:00Z");

  it.each([
    ["120", 120_000],
    ["Thu, 01 Jan 2026 00:00:30 GMT", 30_000],
    ["Wed, 31 Dec 2025 23:00:00 GMT", 0],
    ["soon", null],
    [null, null],
  ])("reads %s as %s ms", (value, expected) => {
    expect(parseRetryAfter(value, nowMs)).toBe(expected);
  });
});

describe("createHttpClient egress policy", () => {
  /** A loopback service the sources must never reach: it counts requests and would answer a secret. */
  async function startInternalService() {
    let requests = 0;
    const url = await startServer((_request, response) => {
      requests++;
      response.end("internal-secret-4f2a");
    });
    serverHosts.pop();
    return { url, requests: () => requests };
  }

  async function startRedirector(location: string, status = 302) {
    return startServer((_request, response) => {
      response.writeHead(status, { location });
      response.end();
    });
  }

  it("follows a redirect on the source's own host and reports the final URL", async () => {
    const baseUrl = await startServer((request, response) => {
      if (request.url === "/old") {
        response.writeHead(301, { location: "/new" });
        response.end();
        return;
      }
      response.end(`at ${request.url}`);
    });
    const client = createTestClient();

    const result = await client.get(`${baseUrl}/old`);

    expect(result).toMatchObject({ ok: true, status: 200, url: `${baseUrl}/new`, body: Buffer.from("at /new") });
    expect(client.stats).toMatchObject({ requests: 2 });
  });

  it("keeps the conditional headers across a redirect and answers a 304 at the final URL", async () => {
    const baseUrl = await startServer((request, response) => {
      if (request.url === "/changes.csv") {
        response.writeHead(302, { location: "/v2/changes.csv" });
        response.end();
        return;
      }
      response.writeHead(request.headers["if-none-match"] === '"v7"' ? 304 : 200, { etag: '"v7"' });
      response.end();
    });
    const client = createTestClient();

    const result = await client.get(`${baseUrl}/changes.csv`, { etag: '"v7"' });

    expect(result).toMatchObject({ ok: true, status: 304, body: null, url: `${baseUrl}/v2/changes.csv`, etag: '"v7"' });
    expect(client.stats).toMatchObject({ requests: 2, notModified: 1 });
  });

  it("refuses a redirect to a loopback service on another port without sending it a request", async () => {
    const internal = await startInternalService();
    const redirector = await startRedirector(`${internal.url}/secret`);
    const client = createTestClient();

    const result = await client.get(`${redirector}/feed.json`);

    expect(result).toMatchObject({ ok: false, error: { kind: "forbidden_destination", url: `${internal.url}/secret` } });
    expect(!result.ok && result.error.message).toMatch(/^redirect refused: 127\.0\.0\.1:\d+ is not one of this source's hosts$/);
    expect(internal.requests()).toBe(0);
    expect(client.stats).toMatchObject({ requests: 1, retries: 0 });
  });

  it.each([
    ["the cloud metadata address", "http://169.254.169.254/latest/meta-data/iam/security-credentials/", /169\.254\.169\.254 is not one of/],
    ["a file: URL", "file:///etc/passwd", /file: URLs are not fetched/],
    ["an ftp: URL", "ftp://127.0.0.1/secret", /ftp: URLs are not fetched/],
    ["another host", "https://attacker.example/collect", /attacker\.example is not one of/],
  ])("refuses a redirect to %s", async (_name, location, message) => {
    const redirector = await startRedirector(location);
    const client = createTestClient();

    const result = await client.get(`${redirector}/repodata/repomd.xml`);

    expect(result).toMatchObject({ ok: false, error: { kind: "forbidden_destination" } });
    expect(!result.ok && result.error.message).toMatch(message);
  });

  it("refuses a link-local or loopback address of an allowed host unless private networks are allowed", async () => {
    const internal = await startInternalService();
    const host = new URL(internal.url).host;
    const strict = createTestClient({ allowedHosts: [host], allowPrivateNetwork: false });
    const metadata = createTestClient({ allowedHosts: ["169.254.169.254"], allowPrivateNetwork: false });
    const permissive = createTestClient({ allowedHosts: [host], allowPrivateNetwork: true });

    const refused = await strict.get(`${internal.url}/`);
    const refusedMetadata = await metadata.get("http://169.254.169.254/latest/meta-data/");
    const allowed = await permissive.get(`${internal.url}/`);

    expect(refused).toMatchObject({ ok: false, error: { kind: "forbidden_destination", message: `${host} is not a public address` } });
    expect(refusedMetadata).toMatchObject({ ok: false, error: { kind: "forbidden_destination" } });
    expect(strict.stats.requests + metadata.stats.requests).toBe(0);
    expect(allowed).toMatchObject({ ok: true, status: 200 });
    expect(internal.requests()).toBe(1);
  });

  it("refuses a host name that resolves to a loopback address when private networks are not allowed", async () => {
    const internal = await startInternalService();
    const port = new URL(internal.url).port;
    const client = createTestClient({ allowedHosts: [`localhost:${port}`], allowPrivateNetwork: false, retries: 2 });

    const result = await client.get(`http://localhost:${port}/`);

    expect(result).toMatchObject({
      ok: false,
      error: { kind: "forbidden_destination", message: "localhost resolves to a non-public address" },
    });
    expect(internal.requests()).toBe(0);
    expect(client.stats.retries).toBe(0);
  });

  it("gives up after five redirects", async () => {
    let hops = 0;
    const baseUrl = await startServer((request, response) => {
      hops++;
      response.writeHead(302, { location: `/hop-${hops}` });
      response.end();
    });
    const client = createTestClient();

    const result = await client.get(`${baseUrl}/start`);

    expect(result).toMatchObject({ ok: false, error: { kind: "network", message: "more than 5 redirects" } });
    expect(hops).toBe(6);
  });

  it("turns a POST answered by 303 into a GET without the body", async () => {
    const seen: string[] = [];
    const baseUrl = await startServer((request, response) => {
      seen.push(`${request.method} ${request.url} ${request.headers["content-length"] ?? "-"}`);
      if (request.method === "POST") {
        response.writeHead(303, { location: "/result" });
        response.end();
        return;
      }
      response.end("done");
    });
    const client = createTestClient();

    const result = await client.request(`${baseUrl}/submit`, { method: "POST", body: Buffer.from("payload") });

    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(seen).toEqual(["POST /submit 7", "GET /result -"]);
  });

  it("quotes no reason phrase the server chose in an HTTP error", async () => {
    const baseUrl = await startServer((_request, response) => {
      response.writeHead(500, "internal-secret-4f2a");
      response.end("internal-secret-4f2a");
    });
    const client = createTestClient({ retries: 0 });

    const result = await client.get(`${baseUrl}/`);

    expect(result).toMatchObject({ ok: false, error: { kind: "http", status: 500, message: "HTTP 500 Internal Server Error" } });
  });

  it("ends a request in flight as a timeout when the signal aborts and refuses new ones", async () => {
    let requests = 0;
    const baseUrl = await startServer(() => {
      requests++;
    });
    const controller = new AbortController();
    const client = createTestClient({ signal: controller.signal, timeoutMs: 60_000 });

    const pending = client.get(`${baseUrl}/slow`);
    while (requests === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    const inFlight = await pending;
    const next = await client.get(`${baseUrl}/next`);

    expect(inFlight).toMatchObject({ ok: false, error: { kind: "timeout" } });
    expect(next).toMatchObject({ ok: false, error: { kind: "timeout" } });
    expect(requests).toBe(1);
    expect(client.stats).toMatchObject({ requests: 1, retries: 0 });
  });

  it("ends a real two-minute Retry-After wait as soon as the signal aborts", async () => {
    let requests = 0;
    const baseUrl = await startServer((_request, response) => {
      requests++;
      response.writeHead(429, { "retry-after": "120" });
      response.end();
    });
    const controller = new AbortController();
    const client = createTestClient({ signal: controller.signal, retries: 3 });

    const pending = client.get(`${baseUrl}/`);
    while (requests === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();

    expect(await pending).toMatchObject({ ok: false, error: { kind: "timeout" } });
    expect(client.stats.requests).toBe(1);
  });

  it("stops waiting for a Retry-After when the signal aborts", async () => {
    const baseUrl = await startServer((_request, response) => {
      response.writeHead(429, { "retry-after": "120" });
      response.end();
    });
    const controller = new AbortController();
    const client = createTestClient({ signal: controller.signal, retries: 3, sleep: async () => controller.abort() });

    const result = await client.get(`${baseUrl}/`);

    expect(result).toMatchObject({ ok: false, error: { kind: "timeout" } });
    expect(client.stats).toMatchObject({ requests: 1, retries: 1 });
  });
});
