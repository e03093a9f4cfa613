import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { OsvUpstreamConfig } from "../../core/config";
import { samplePath } from "../../test/samples/path";
import { createHttpClient } from "../http/create-http-client";
import { listSourceHosts } from "../http/list-source-hosts";
import type { UpstreamSyncResult } from "../source-contracts";
import { EMPTY_OSV_FEED_STATE, osvUpstreamSource, parseOsvIndex, type OsvFeedState } from "./osv-upstream-source";

const readSample = (file: string) => readFileSync(samplePath("redhat-osv", file));

const routes = new Map<string, { body: Buffer | string; status?: number }>();
const requested: string[] = [];
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://127.0.0.1").pathname);
    requested.push(path);
    const route = routes.get(path);
    if (!route) return response.writeHead(404, { "content-type": "text/html" }).end("<html>Not Found</html>");
    const body = Buffer.from(route.body);
    const etag = `"${createHash("sha1").update(body).digest("hex")}"`;
    if ((route.status ?? 200) === 200 && request.headers["if-none-match"] === etag) return response.writeHead(304, { etag }).end();
    response.writeHead(route.status ?? 200, { etag, "content-type": path.endsWith(".csv") ? "text/csv" : "application/json" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/osv`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const INDEX = [
  "2024-10-31T16:35:50Z,RHSA-2024:8709",
  "2024-10-31T05:17:40Z,RHEA-2024:1870",
  "2024-10-30T04:57:36Z,RHBA-2024:6202",
  "2024-01-05T00:00:00Z,RHSA-2023:0001",
].join("\n");

beforeEach(() => {
  routes.clear();
  requested.length = 0;
  routes.set("/osv/modified_id.csv", { body: `${INDEX}\n` });
  routes.set("/osv/RHSA-2024:8709.json", { body: readSample("RHSA-2024_8709.json") });
  routes.set("/osv/RHEA-2024:1870.json", { body: readSample("RHEA-2024_1870.json") });
  routes.set("/osv/RHBA-2024:6202.json", { body: readSample("RHBA-2024_6202.json") });
});

function createFeed(overrides: Partial<OsvUpstreamConfig> = {}): OsvUpstreamConfig {
  return OsvUpstreamConfig.parse({
    id: "redhat-osv",
    kind: "osv",
    name: "Red Hat OSV",
    baseUrl,
    indexUrl: `${baseUrl}/modified_id.csv`,
    startDate: "2024-06-01",
    majors: [8, 9],
    ...overrides,
  });
}

function sync(state: unknown, feed = createFeed()): Promise<UpstreamSyncResult> {
  const http = createHttpClient({
    userAgent: "srcwatch-test/1",
    timeoutMs: 5_000,
    maxResponseBytes: 1024 * 1024,
    retries: 0,
    perHostMinIntervalMs: 0,
    concurrency: 4,
    allowedHosts: listSourceHosts(feed),
    allowPrivateNetwork: true,
  });
  return osvUpstreamSource.sync({ http, upstream: feed, state });
}

describe("parseOsvIndex", () => {
  it("reads `<ISO time>,<id>` rows and tolerates an ecosystem folder before the id", () => {
    expect(parseOsvIndex("2024-10-31T16:35:50Z,RHSA-2024:8709\n2024-10-30T04:57:36.123Z,Red Hat/RHBA-2024:6202\n")).toEqual({
      ok: true,
      rows: [
        { modifiedAt: new Date("2024-10-31T16:35:50Z"), id: "RHSA-2024:8709" },
        { modifiedAt: new Date("2024-10-30T04:57:36.123Z"), id: "RHBA-2024:6202" },
      ],
    });
  });

  it.each([["<html>Maintenance</html>"], ["2024-10-31T16:35:50Z;RHSA-2024:8709"], ["yesterday,RHSA-2024:8709"]])("rejects %j", (text) => {
    expect(parseOsvIndex(text)).toMatchObject({ ok: false });
  });
});

describe("osvUpstreamSource", () => {
  it("fetches the records modified since the start date, keeps the RHEL ones and moves the cursor to the newest", async () => {
    const result = await sync(osvUpstreamSource.initialState);

    expect(result.ok && result.advisories.map((advisory) => advisory.id)).toEqual(["RHBA-2024:6202", "RHSA-2024:8709"]);
    expect(result.ok && result.failures).toEqual([]);
    expect(result.ok && (result.state as OsvFeedState).cursor).toBe("2024-10-31T16:35:50.000Z");
    expect(requested).not.toContain("/osv/RHSA-2023:0001.json");
  });

  it("answers a second poll from a 304 without fetching records", async () => {
    const first = await sync(EMPTY_OSV_FEED_STATE);
    requested.length = 0;

    const second = await sync(first.ok ? first.state : null);

    expect(second).toMatchObject({ ok: true, notModified: true, advisories: [] });
    expect(requested).toEqual(["/osv/modified_id.csv"]);
  });

  it("fetches only rows newer than the cursor once the index changed", async () => {
    const first = await sync(EMPTY_OSV_FEED_STATE);
    routes.set("/osv/modified_id.csv", { body: `2024-11-02T00:00:00Z,RHSA-2024:8709\n${INDEX}\n` });
    requested.length = 0;

    const second = await sync(first.ok ? first.state : null);

    expect(requested).toEqual(["/osv/modified_id.csv", "/osv/RHSA-2024:8709.json"]);
    expect(second.ok && (second.state as OsvFeedState).cursor).toBe("2024-11-02T00:00:00.000Z");
  });

  it("holds the cursor before a record that failed, keeps the index validators unstored, and retries it next time", async () => {
    routes.set("/osv/RHEA-2024:1870.json", { body: "{ truncated" });

    const first = await sync(EMPTY_OSV_FEED_STATE);
    routes.set("/osv/RHEA-2024:1870.json", { body: readSample("RHEA-2024_1870.json") });
    const second = await sync(first.ok ? first.state : null);

    expect(first.ok && first.failures.map((failure) => [failure.path, failure.error.kind])).toEqual([["RHEA-2024:1870.json", "parse"]]);
    expect(first.ok && first.state).toEqual({ indexEtag: null, indexLastModified: null, cursor: "2024-10-30T04:57:36.000Z" });
    expect(second.ok && second.failures).toEqual([]);
    expect(second.ok && second.advisories.map((advisory) => advisory.id)).toEqual(["RHSA-2024:8709"]);
    expect(second.ok && (second.state as OsvFeedState).cursor).toBe("2024-10-31T16:35:50.000Z");
  });

  it("reports a record that is not Red Hat OSV, or a missing one, as a failure of that record", async () => {
    routes.set("/osv/RHBA-2024:6202.json", { body: JSON.stringify({ id: "RHBA-2024:6202", affected: "none" }) });
    routes.delete("/osv/RHEA-2024:1870.json");

    const result = await sync(EMPTY_OSV_FEED_STATE);

    expect(result.ok && result.failures.map((failure) => [failure.path, failure.error.kind, failure.error.status])).toEqual([
      ["RHBA-2024:6202.json", "invalid_data", 200],
      ["RHEA-2024:1870.json", "http", 404],
    ]);
    expect(result.ok && result.advisories.map((advisory) => advisory.id)).toEqual(["RHSA-2024:8709"]);
  });

  it("reports a withdrawn record as deleted", async () => {
    const withdrawn = { ...JSON.parse(readSample("RHSA-2024_8709.json").toString("utf8")), withdrawn: "2024-11-01T00:00:00Z" };
    routes.set("/osv/RHSA-2024:8709.json", { body: JSON.stringify(withdrawn) });

    const result = await sync(EMPTY_OSV_FEED_STATE);

    expect(result.ok && result.deletedIds).toEqual(["RHSA-2024:8709"]);
    expect(result.ok && result.advisories.map((advisory) => advisory.id)).toEqual(["RHBA-2024:6202"]);
  });

  it("fails the poll, keeping the state, when the index is an HTML page or cannot be fetched", async () => {
    routes.set("/osv/modified_id.csv", { body: "<!DOCTYPE html><html><body>Maintenance</body></html>" });
    const html = await sync(EMPTY_OSV_FEED_STATE);
    routes.delete("/osv/modified_id.csv");
    const missing = await sync({ indexEtag: '"x"', indexLastModified: null, cursor: "2024-10-01T00:00:00.000Z" });

    expect(html).toMatchObject({ ok: false, error: { kind: "parse" }, state: EMPTY_OSV_FEED_STATE });
    expect(missing).toMatchObject({ ok: false, error: { kind: "http", status: 404 }, state: { cursor: "2024-10-01T00:00:00.000Z" } });
  });

  it("starts over from the start date when the stored state is not its own", async () => {
    const result = await sync({ cursor: 42, somethingElse: true });

    expect(result.ok && result.advisories).toHaveLength(2);
  });
});
