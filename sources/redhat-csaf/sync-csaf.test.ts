import { SAMPLES_DIR } from "../../test/samples/path";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CsafFeedConfig } from "../../core/config";
import type { HttpClient, HttpResult } from "../http/types";
import { EMPTY_CSAF_FEED_STATE, syncCsafFeed, type CsafFeedState, type CsafSyncProgress } from "./sync-csaf";

const samplesDir = path.join(SAMPLES_DIR, "redhat-csaf");
const readSample = (file: string) => readFileSync(path.join(samplesDir, file));

interface Route {
  body: Buffer | string;
  status?: number;
  contentType?: string;
}

/** A static file server on loopback with ETag support, recording what was asked. */
class FeedServer {
  routes = new Map<string, Route>();
  requests: Array<{ path: string; status: number }> = [];
  inFlight = 0;
  maxInFlight = 0;
  private server: Server = createServer((request, response) => {
    const requestPath = (request.url ?? "/").replace(/^\/csaf\//, "");
    const route = this.routes.get(requestPath);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    setTimeout(() => {
      this.inFlight--;
      if (!route) return this.respond(response, requestPath, 404, { "content-type": "text/html" }, "<html>Not Found</html>");
      const body = Buffer.from(route.body);
      const etag = `"${createHash("sha1").update(body).digest("hex")}"`;
      if ((route.status ?? 200) === 200 && request.headers["if-none-match"] === etag)
        return this.respond(response, requestPath, 304, { etag });
      this.respond(
        response,
        requestPath,
        route.status ?? 200,
        { etag, "content-type": route.contentType ?? "application/octet-stream" },
        body,
      );
    }, 15);
  });

  private respond(
    response: import("node:http").ServerResponse,
    requestPath: string,
    status: number,
    headers: Record<string, string>,
    body?: Buffer | string,
  ) {
    this.requests.push({ path: requestPath, status });
    response.writeHead(status, headers);
    response.end(body);
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/csaf/`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Just enough of an HttpClient over fetch for these tests: conditional GET, size cap, errors as values. */
function createTestHttpClient(): HttpClient {
  const stats = { requests: 0, notModified: 0, bytes: 0, retries: 0 };
  return {
    stats,
    async get(url, options = {}): Promise<HttpResult> {
      stats.requests++;
      const headers: Record<string, string> = { ...options.headers };
      if (options.accept) headers.accept = options.accept;
      if (options.etag) headers["if-none-match"] = options.etag;
      if (options.lastModified) headers["if-modified-since"] = options.lastModified;
      let response: Response;
      try {
        response = await fetch(url, { headers });
      } catch (error) {
        return { ok: false, error: { kind: "network", message: String(error), url } };
      }
      const meta = {
        url,
        etag: response.headers.get("etag"),
        lastModified: response.headers.get("last-modified"),
        contentType: response.headers.get("content-type"),
      };
      if (response.status === 304) {
        stats.notModified++;
        return { ok: true, status: 304, body: null, ...meta };
      }
      if (response.status !== 200)
        return { ok: false, error: { kind: "http", message: `HTTP ${response.status}`, url, status: response.status } };
      const body = Buffer.from(await response.arrayBuffer());
      stats.bytes += body.length;
      if (options.maxBytes !== undefined && body.length > options.maxBytes) {
        return { ok: false, error: { kind: "too_large", message: `more than ${options.maxBytes} bytes`, url } };
      }
      return { ok: true, status: 200, body, ...meta };
    },
    async request() {
      throw new Error("not used by the CSAF sync");
    },
    async stream() {
      throw new Error("these tests' feeds are below the archive's threshold");
    },
  };
}

const csvRow = (csafPath: string, time: string) => `"${csafPath}","${time}"\n`;

const sampleRows: Array<[string, string, string]> = [
  ["2023/rhsa-2023_3821.json", "rhsa-2023_3821.TRIMMED-src-only.json", "2023-06-27T15:16:35+00:00"],
  ["2023/rhsa-2023_7436.json", "rhsa-2023_7436.json", "2024-04-28T03:07:56+00:00"],
  ["2023/rhsa-2023_7438.json", "rhsa-2023_7438.json", "2024-04-28T03:16:03+00:00"],
  ["2024/rhsa-2024_0010.json", "rhsa-2024_0010.json", "2024-11-23T02:54:26+00:00"],
  ["2025/rhsa-2025_23414.json", "rhsa-2025_23414.json", "2025-12-18T11:16:21+00:00"],
  ["2024/rhsa-2024_9371.json", "rhsa-2024_9371.json", "2026-03-18T02:40:17+00:00"],
  ["2024/rhsa-2024_6163.json", "rhsa-2024_6163.json", "2026-03-26T18:50:03+00:00"],
  ["2024/rhsa-2024_1431.json", "rhsa-2024_1431.TRIMMED-src-only.json", "2026-04-01T19:04:12+00:00"],
];

describe("syncCsafFeed against a loopback feed", () => {
  const server = new FeedServer();
  let feed: CsafFeedConfig;
  const http = createTestHttpClient();

  function serveSamples() {
    server.routes.clear();
    server.routes.set("changes.csv", {
      body: sampleRows.map(([csafPath, , time]) => csvRow(csafPath, time)).join(""),
      contentType: "text/csv",
    });
    server.routes.set("deletions.csv", { body: readSample("deletions.vunnel-excerpt.csv"), contentType: "text/csv" });
    for (const [csafPath, file] of sampleRows) server.routes.set(csafPath, { body: readSample(file), contentType: "application/json" });
  }

  beforeAll(async () => {
    const baseUrl = await server.start();
    feed = CsafFeedConfig.parse({
      id: "redhat-csaf",
      kind: "csaf",
      name: "Red Hat CSAF",
      baseUrl,
      startDate: "2024-01-01",
      majors: [8, 9],
      concurrency: 2,
    });
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    serveSamples();
    server.requests = [];
    server.maxInFlight = 0;
  });

  it("fetches every advisory changed since the start date on the first sync, keeping RHEL ones issued since then", async () => {
    const progress: CsafSyncProgress[] = [];
    const result = await syncCsafFeed({ http, feed, state: EMPTY_CSAF_FEED_STATE, onProgress: (p) => progress.push(p) });

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.advisories.map((advisory) => advisory.id)).toEqual([
      "RHSA-2024:0010",
      "RHSA-2024:9371",
      "RHSA-2024:6163",
      "RHSA-2024:1431",
    ]);
    expect(result.failures).toEqual([]);
    expect(result.notModified).toBe(false);
    expect(result.deletedIds).toEqual(["RHEA-2024:5245", "RHSA-2024:2106"]);
    expect(result.state.cursor).toBe("2026-04-01T19:04:12.000Z");
    expect(result.state.changesEtag).toMatch(/^"[0-9a-f]{40}"$/);
    expect(result.state.deletionsEtag).toMatch(/^"[0-9a-f]{40}"$/);

    const fetchedJson = server.requests.filter((request) => request.path.endsWith(".json")).map((request) => request.path);
    expect(fetchedJson).not.toContain("2023/rhsa-2023_3821.json");
    expect(fetchedJson).toHaveLength(7);
    expect(server.maxInFlight).toBe(2);
    expect(progress.filter((p) => p.step === "fetching advisories").at(-1)).toEqual({ step: "fetching advisories", done: 7, total: 7 });
  });

  it("does nothing when both indexes answer 304 on the next sync", async () => {
    const first = await syncCsafFeed({ http, feed, state: EMPTY_CSAF_FEED_STATE });
    if (!first.ok) throw new Error("first sync failed");
    server.requests = [];

    const second = await syncCsafFeed({ http, feed, state: first.state });

    expect(second).toEqual({
      ok: true,
      notModified: true,
      advisories: [],
      deletedIds: [],
      failures: [],
      refusedLinks: [],
      notes: [],
      state: first.state,
    });
    expect(server.requests).toEqual([
      { path: "changes.csv", status: 304 },
      { path: "deletions.csv", status: 304 },
    ]);
  });

  it("fetches only the rows newer than the cursor and reports only newer deletions", async () => {
    const state: CsafFeedState = { ...EMPTY_CSAF_FEED_STATE, cursor: "2026-03-20T00:00:00.000Z" };

    const result = await syncCsafFeed({ http, feed, state });

    expect(result.ok && result.advisories.map((advisory) => advisory.id)).toEqual(["RHSA-2024:6163", "RHSA-2024:1431"]);
    expect(result.ok && result.deletedIds).toEqual([]);
    expect(server.requests.filter((request) => request.path.endsWith(".json"))).toHaveLength(2);

    const earlier = await syncCsafFeed({ http, feed, state: { ...EMPTY_CSAF_FEED_STATE, cursor: "2025-01-01T00:00:00.000Z" } });
    expect(earlier.ok && earlier.deletedIds).toEqual(["RHEA-2024:5245"]);
  });

  it("records a truncated advisory as a failure and holds the cursor back until it succeeds", async () => {
    const truncated = readSample("rhsa-2024_9371.json").subarray(0, 5000);
    server.routes.set("2024/rhsa-2024_9371.json", { body: truncated, contentType: "application/json" });

    const failed = await syncCsafFeed({ http, feed, state: EMPTY_CSAF_FEED_STATE });

    expect(failed.ok).toBe(true);
    if (!failed.ok) return;
    expect(failed.advisories.map((advisory) => advisory.id)).toEqual(["RHSA-2024:0010", "RHSA-2024:6163", "RHSA-2024:1431"]);
    expect(failed.failures).toEqual([
      {
        path: "2024/rhsa-2024_9371.json",
        error: expect.objectContaining({ kind: "parse", url: `${feed.baseUrl}2024/rhsa-2024_9371.json` }),
      },
    ]);
    expect(failed.state.cursor).toBe("2025-12-18T11:16:21.000Z");
    expect(failed.state.changesEtag).toBeNull();

    serveSamples();
    server.requests = [];
    const retried = await syncCsafFeed({ http, feed, state: failed.state });

    expect(retried.ok && retried.advisories.map((advisory) => advisory.id)).toEqual(["RHSA-2024:9371", "RHSA-2024:6163", "RHSA-2024:1431"]);
    expect(retried.ok && retried.failures).toEqual([]);
    expect(retried.ok && retried.state.cursor).toBe("2026-04-01T19:04:12.000Z");
    expect(retried.ok && retried.state.changesEtag).not.toBeNull();
    expect(server.requests[0]).toEqual({ path: "changes.csv", status: 200 });
  });

  it("records a missing advisory file as an HTTP failure", async () => {
    server.routes.delete("2024/rhsa-2024_1431.json");

    const result = await syncCsafFeed({ http, feed, state: EMPTY_CSAF_FEED_STATE });

    expect(result.ok && result.failures).toEqual([
      { path: "2024/rhsa-2024_1431.json", error: expect.objectContaining({ kind: "http", status: 404 }) },
    ]);
    expect(result.ok && result.state.cursor).toBe("2026-03-26T18:50:03.000Z");
  });

  it("records an advisory with an invalid purl as invalid data", async () => {
    const json = JSON.parse(readSample("rhsa-2024_0010.json").toString("utf8"));
    json.product_tree.branches[0].branches.find(
      (branch: { name: string }) => branch.name === "src",
    ).branches[0].product.product_identification_helper.purl = "pkg:rpm/redhat/tigervnc?arch=src";
    server.routes.set("2024/rhsa-2024_0010.json", { body: JSON.stringify(json) });

    const result = await syncCsafFeed({ http, feed, state: EMPTY_CSAF_FEED_STATE });

    expect(result.ok && result.failures.map((failure) => [failure.path, failure.error.kind])).toEqual([
      ["2024/rhsa-2024_0010.json", "invalid_data"],
    ]);
    expect(result.ok && result.state.cursor).toBe("2024-04-28T03:16:03.000Z");
  });

  it("fails the whole sync with a parse error when changes.csv is an HTML page served with 200", async () => {
    server.routes.set("changes.csv", { body: "<!DOCTYPE html><html><body>Maintenance</body></html>", contentType: "text/html" });
    const state: CsafFeedState = { ...EMPTY_CSAF_FEED_STATE, cursor: "2025-01-01T00:00:00.000Z", changesEtag: '"old"' };

    const result = await syncCsafFeed({ http, feed, state });

    expect(result).toEqual({
      ok: false,
      error: expect.objectContaining({ kind: "parse", url: `${feed.baseUrl}changes.csv`, status: 200 }),
      state,
    });
    expect(server.requests.map((request) => request.path)).toEqual(["changes.csv"]);
  });

  it("fails the whole sync when changes.csv answers with an HTTP error", async () => {
    server.routes.set("changes.csv", { body: "oops", status: 503 });

    const result = await syncCsafFeed({ http, feed, state: EMPTY_CSAF_FEED_STATE });

    expect(result).toEqual({ ok: false, error: expect.objectContaining({ kind: "http", status: 503 }), state: EMPTY_CSAF_FEED_STATE });
  });

  it("fails the whole sync when changes.csv is larger than the feed allows", async () => {
    const result = await syncCsafFeed({ http, feed: { ...feed, maxResponseBytes: 100 }, state: EMPTY_CSAF_FEED_STATE });

    expect(result).toMatchObject({ ok: false, error: { kind: "too_large" }, state: EMPTY_CSAF_FEED_STATE });
  });

  it("returns the advisories but keeps the state when deletions.csv fails", async () => {
    server.routes.set("deletions.csv", { body: "<html>Bad gateway</html>", status: 502 });

    const result = await syncCsafFeed({ http, feed, state: EMPTY_CSAF_FEED_STATE });

    expect(result.ok && result.advisories).toHaveLength(4);
    expect(result.ok && result.failures).toEqual([
      { path: "deletions.csv", error: expect.objectContaining({ kind: "http", status: 502 }) },
    ]);
    expect(result.ok && result.state).toEqual(EMPTY_CSAF_FEED_STATE);
  });
});
