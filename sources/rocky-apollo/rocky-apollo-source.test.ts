import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { RockyApolloMirrorConfig } from "../../core/config";
import type { Evidence } from "../../core/types";
import { samplePath } from "../../test/samples/path";
import { createHttpClient } from "../http/create-http-client";
import type { RockyAdvisory } from "./parse-apollo-advisories";
import { EMPTY_ROCKY_APOLLO_STATE, listAdvisoryBuilds, rockyApolloSource, type RockyApolloState } from "./rocky-apollo-source";

const realPage = JSON.parse(readFileSync(samplePath("rocky", "apollo-v3-advisories.page1.json"), "utf8"));
const realAdvisory = realPage.advisories[0];

/** The real RLSA-2025:21816 entry with another name, time and source packages (and one binary each). */
function createAdvisory(name: string, publishedAt: string, nevras: string[]) {
  return {
    ...structuredClone(realAdvisory),
    name,
    published_at: publishedAt,
    affected_products: [{ ...realAdvisory.affected_products[3], major_version: 9, minor_version: 10, name: "Rocky Linux 9 x86_64" }],
    packages: nevras.flatMap((nevra) => [
      { ...realAdvisory.packages[5], nevra: `${nevra}.src.rpm`, product_name: "Rocky Linux 9 x86_64" },
      { ...realAdvisory.packages[6], nevra: `${nevra}.x86_64.rpm`, product_name: "Rocky Linux 9 x86_64" },
    ]),
  };
}

type Answer = "ok" | { status: number; headers?: Record<string, string>; body: string };

/** Apollo's published_at to the microsecond, for comparing with `after_raw` as Apollo does. */
const toMicroseconds = (text: string) => {
  const [, seconds, fraction = "", zone] = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(text)!;
  return Date.parse(seconds + zone) * 1000 + Number(fraction.padEnd(6, "0"));
};

/**
 * Apollo v3 on loopback: newest first, page/size, `after_raw` (published strictly after, as distro-tools#38 made it;
 * `isAfterFilterHonoured = false` is a server from before), root-relative (or absolute) links; `answer` can refuse a page.
 */
class ApolloServer {
  advisories: Array<ReturnType<typeof createAdvisory>> = [];
  isAbsoluteLinks = false;
  isAfterFilterHonoured = true;
  answer: (page: number) => Answer = () => "ok";
  requestedPages: number[] = [];
  /** `page/size`, with `>after_raw` when it was given. */
  requests: string[] = [];
  url = "";
  private server = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const page = Number(url.searchParams.get("page"));
    const size = Number(url.searchParams.get("size"));
    const after = url.searchParams.get("after_raw");
    this.requestedPages.push(page);
    this.requests.push(`${page}/${size}${after === null ? "" : `>${after}`}`);
    const answer = this.answer(page);
    if (answer !== "ok") return response.writeHead(answer.status, { "content-type": "text/html", ...answer.headers }).end(answer.body);
    const listed = this.advisories
      .filter((advisory) => after === null || !this.isAfterFilterHonoured || toMicroseconds(advisory.published_at) > toMicroseconds(after))
      .sort((a, b) => Date.parse(b.published_at) - Date.parse(a.published_at));
    const lastPage = Math.max(1, Math.ceil(listed.length / size));
    const filter = after === null || !this.isAfterFilterHonoured ? "" : `&after_raw=${encodeURIComponent(after)}`;
    const link = (n: number) => `${this.isAbsoluteLinks ? this.url : ""}/api/v3/advisories/?size=${size}&page=${n}${filter}`;
    const body = {
      advisories: listed.slice((page - 1) * size, page * size),
      total: listed.length,
      page,
      size,
      links: {
        first: link(1),
        last: link(lastPage),
        self: link(page),
        next: page < lastPage ? link(page + 1) : null,
        prev: page > 1 ? link(page - 1) : null,
      },
      last_updated_at: "2025-11-27T09:00:19Z",
    };
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
  });

  async start() {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop() {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const server = new ApolloServer();
let sleeps: number[] = [];

function createMirror(overrides: Partial<RockyApolloMirrorConfig> = {}): RockyApolloMirrorConfig {
  return RockyApolloMirrorConfig.parse({
    id: "rocky",
    kind: "rocky-apollo",
    name: "Rocky Linux errata",
    majors: [8, 9],
    apiUrl: `${server.url}/api/v3`,
    pageSize: 2,
    erratumWebUrlTemplate: "https://errata.rockylinux.org/{id}",
    ...overrides,
  });
}

function createClient() {
  return createHttpClient({
    userAgent: "srcwatch-test",
    timeoutMs: 5000,
    maxResponseBytes: 1024 * 1024,
    retries: 2,
    perHostMinIntervalMs: 0,
    concurrency: 2,
    allowedHosts: [new URL(server.url).host],
    allowPrivateNetwork: true,
    random: () => 0,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
}

async function poll(state: unknown, mirror = createMirror()) {
  const client = createClient();
  const result = await rockyApolloSource.poll({ http: client, mirror, openPackages: new Map(), storedEvidence: new Map(), state });
  if (!result.ok) throw new Error(`poll failed: ${result.error.kind} ${result.error.message}`);
  return { ...result, state: result.state as RockyApolloState, bytes: client.stats.bytes };
}

const refsOf = (builds: Evidence[]) => builds.map((build) => build.ref);

const FIVE_ADVISORIES = [
  createAdvisory("RLSA-2025:105", "2025-11-27T09:05:00.123456+00:00", ["openssl-1:3.2.2-6.el9_10"]),
  createAdvisory("RLSA-2025:104", "2025-11-26T09:04:00+00:00", ["bash-0:5.2.26-6.el9_10"]),
  createAdvisory("RLSA-2025:103", "2025-11-25T09:03:00+00:00", ["curl-0:8.12.1-2.el9_10", "libssh-0:0.11.1-3.el9_10"]),
  createAdvisory("RLSA-2025:102", "2025-11-24T09:02:00+00:00", ["kernel-0:6.12.0-55.el9_10"]),
  createAdvisory("RLSA-2025:101", "2025-11-23T09:01:00+00:00", ["glibc-0:2.39-37.el9_10"]),
];

beforeAll(() => server.start());
afterAll(() => server.stop());
beforeEach(() => {
  server.advisories = structuredClone(FIVE_ADVISORIES);
  server.isAbsoluteLinks = false;
  server.isAfterFilterHonoured = true;
  server.answer = () => "ok";
  server.requestedPages = [];
  server.requests = [];
  sleeps = [];
});

describe("rockyApolloSource", () => {
  it("reads every page newest first by following root-relative next links, and keeps the newest published_at", async () => {
    const result = await poll(EMPTY_ROCKY_APOLLO_STATE);

    expect(server.requestedPages).toEqual([1, 2, 3]);
    expect(refsOf(result.builds)).toEqual([
      "RLSA-2025:105/openssl-3.2.2-6.el9_10",
      "RLSA-2025:104/bash-5.2.26-6.el9_10",
      "RLSA-2025:103/curl-8.12.1-2.el9_10",
      "RLSA-2025:103/libssh-0.11.1-3.el9_10",
      "RLSA-2025:102/kernel-6.12.0-55.el9_10",
      "RLSA-2025:101/glibc-2.39-37.el9_10",
    ]);
    expect(result.builds[0]).toEqual({
      evidenceKind: "erratum",
      name: "openssl",
      epoch: 1,
      version: "3.2.2",
      release: "6.el9_10",
      major: 9,
      moduleStream: null,
      ref: "RLSA-2025:105/openssl-3.2.2-6.el9_10",
      url: "https://errata.rockylinux.org/RLSA-2025:105",
      commitSha: null,
      publishedAt: new Date("2025-11-27T09:05:00.123Z"),
      publishedAtOrigin: "erratum_date",
    });
    expect(result.failures).toEqual([]);
    expect(result.state).toEqual({ highWaterMark: "2025-11-27T09:05:00.123456Z", resume: null });
  });

  it("asks only for what Apollo published after the high-water mark, and then costs one small request while nothing is new", async () => {
    const first = await poll(EMPTY_ROCKY_APOLLO_STATE);
    server.advisories.push(
      createAdvisory("RLSA-2025:108", "2025-11-28T12:00:00+00:00", ["vim-2:9.1.083-5.el9_10"]),
      createAdvisory("RLSA-2025:107", "2025-11-28T11:00:00+00:00", ["git-0:2.47.3-1.el9_10"]),
      createAdvisory("RLSA-2025:106", "2025-11-28T10:00:00+00:00", ["zlib-0:1.2.11-41.el9_10"]),
    );
    server.requests = [];

    const second = await poll(first.state);

    const mark = ">2025-11-27T09:05:00.123456Z";
    expect(server.requests).toEqual([`1/1${mark}`, `1/2${mark}`, `2/2${mark}`]);
    expect(refsOf(second.builds)).toEqual([
      "RLSA-2025:108/vim-9.1.083-5.el9_10",
      "RLSA-2025:107/git-2.47.3-1.el9_10",
      "RLSA-2025:106/zlib-1.2.11-41.el9_10",
    ]);
    expect(second.state).toEqual({ highWaterMark: "2025-11-28T12:00:00.000000Z", resume: null });

    server.requests = [];
    const steady = await poll(second.state);

    expect(server.requests).toEqual(["1/1>2025-11-28T12:00:00.000000Z"]);
    expect(steady.builds).toEqual([]);
    expect(steady.bytes).toBeLessThan(500);
    expect(steady.state).toEqual(second.state);
  });

  it("takes a single new advisory from the one-advisory request alone", async () => {
    const first = await poll(EMPTY_ROCKY_APOLLO_STATE);
    server.advisories.push(createAdvisory("RLSA-2025:106", "2025-11-27T09:05:00.123457+00:00", ["zlib-0:1.2.11-41.el9_10"]));
    server.requests = [];

    const second = await poll(first.state);

    expect(server.requests).toEqual(["1/1>2025-11-27T09:05:00.123456Z"]);
    expect(refsOf(second.builds)).toEqual(["RLSA-2025:106/zlib-1.2.11-41.el9_10"]);
    expect(second.state.highWaterMark).toBe("2025-11-27T09:05:00.123457Z");
  });

  it("reads an Apollo that ignores after_raw down to the mark, and asks it one advisory while nothing is new", async () => {
    server.isAfterFilterHonoured = false;
    const first = await poll(EMPTY_ROCKY_APOLLO_STATE);
    server.advisories.push(
      createAdvisory("RLSA-2025:107", "2025-11-28T11:00:00+00:00", ["git-0:2.47.3-1.el9_10"]),
      createAdvisory("RLSA-2025:106", "2025-11-28T10:00:00+00:00", ["zlib-0:1.2.11-41.el9_10"]),
    );
    server.requests = [];

    const second = await poll(first.state);
    const requestsOfSecond = server.requests.map((request) => request.split(">")[0]);
    server.requests = [];
    const steady = await poll(second.state);

    expect(requestsOfSecond).toEqual(["1/1", "1/2", "2/2"]);
    expect(refsOf(second.builds)).toEqual(["RLSA-2025:107/git-2.47.3-1.el9_10", "RLSA-2025:106/zlib-1.2.11-41.el9_10"]);
    expect(server.requests.map((request) => request.split(">")[0])).toEqual(["1/1"]);
    expect(steady.builds).toEqual([]);
    expect(steady.state.highWaterMark).toBe("2025-11-28T11:00:00.000000Z");
  });

  it("moves a mark an earlier version stored to the millisecond onto Apollo's microsecond, then asks past it", async () => {
    const moved = await poll({ highWaterMark: "2025-11-27T09:05:00.123Z", resume: null });
    const requestsBefore = server.requests;
    server.requests = [];
    const steady = await poll(moved.state);

    expect(requestsBefore).toEqual(["1/1>2025-11-27T09:05:00.123000Z"]);
    // Read again; the worker keeps evidence by ref, so it is not new.
    expect(refsOf(moved.builds)).toEqual(["RLSA-2025:105/openssl-3.2.2-6.el9_10"]);
    expect(moved.state.highWaterMark).toBe("2025-11-27T09:05:00.123456Z");
    expect(server.requests).toEqual(["1/1>2025-11-27T09:05:00.123456Z"]);
    expect(steady.builds).toEqual([]);
  });

  it("follows absolute next links too", async () => {
    server.isAbsoluteLinks = true;

    const result = await poll(EMPTY_ROCKY_APOLLO_STATE);

    expect(server.requestedPages).toEqual([1, 2, 3]);
    expect(result.builds).toHaveLength(6);
  });

  it("waits out a 429 with Retry-After: 1 and then reads on", async () => {
    let isLimited = true;
    server.answer = (page) => {
      if (page !== 2 || !isLimited) return "ok";
      isLimited = false;
      return { status: 429, headers: { "retry-after": "1" }, body: "Too Many Requests" };
    };

    const result = await poll(EMPTY_ROCKY_APOLLO_STATE);

    expect(sleeps).toEqual([1000]);
    expect(server.requestedPages).toEqual([1, 2, 2, 3]);
    expect(result.builds).toHaveLength(6);
    expect(result.failures).toEqual([]);
  });

  it("returns what it read as a partial poll when the 429 persists, without advancing, and the next poll resumes there", async () => {
    server.answer = (page) => (page === 2 ? { status: 429, headers: { "retry-after": "1" }, body: "Too Many Requests" } : "ok");

    const limited = await poll(EMPTY_ROCKY_APOLLO_STATE);

    expect(sleeps).toEqual([1000, 1000]);
    expect(refsOf(limited.builds)).toEqual(["RLSA-2025:105/openssl-3.2.2-6.el9_10", "RLSA-2025:104/bash-5.2.26-6.el9_10"]);
    expect(limited.failures).toEqual([
      {
        item: "advisories page 2",
        error: {
          kind: "rate_limited",
          status: 429,
          message: expect.stringContaining("429"),
          url: `${server.url}/api/v3/advisories/?size=2&page=2`,
        },
      },
    ]);
    expect(limited.state).toEqual({
      highWaterMark: null,
      resume: { page: 2, pageSize: 2, newestPublishedAt: "2025-11-27T09:05:00.123456Z" },
    });

    server.answer = () => "ok";
    server.advisories.push(createAdvisory("RLSA-2025:106", "2025-11-28T10:00:00+00:00", ["zlib-0:1.2.11-41.el9_10"]));
    server.requestedPages = [];
    const resumed = await poll(limited.state);

    expect(server.requestedPages).toEqual([2, 3]);
    expect(refsOf(resumed.builds)).toEqual([
      "RLSA-2025:104/bash-5.2.26-6.el9_10",
      "RLSA-2025:103/curl-8.12.1-2.el9_10",
      "RLSA-2025:103/libssh-0.11.1-3.el9_10",
      "RLSA-2025:102/kernel-6.12.0-55.el9_10",
      "RLSA-2025:101/glibc-2.39-37.el9_10",
    ]);
    expect(resumed.state).toEqual({ highWaterMark: "2025-11-27T09:05:00.123456Z", resume: null });

    server.requestedPages = [];
    const next = await poll(resumed.state);

    expect(server.requestedPages).toEqual([1]);
    expect(refsOf(next.builds)).toEqual(["RLSA-2025:106/zlib-1.2.11-41.el9_10"]);
  });

  it("fails the poll when the first page is an HTML page served with status 200", async () => {
    server.answer = () => ({ status: 200, body: "<!DOCTYPE html><html><body>Maintenance</body></html>" });

    const result = await rockyApolloSource.poll({
      http: createClient(),
      mirror: createMirror(),
      openPackages: new Map(),
      storedEvidence: new Map(),
      state: EMPTY_ROCKY_APOLLO_STATE,
    });

    expect(result).toEqual({
      ok: false,
      error: {
        kind: "parse",
        status: 200,
        message: expect.stringContaining("got HTML"),
        url: `${server.url}/api/v3/advisories/?page=1&size=2`,
      },
    });
  });

  it("starts over from page 1 when the stored resume point was made with another page size", async () => {
    await poll({ highWaterMark: null, resume: { page: 3, pageSize: 50, newestPublishedAt: null } });

    expect(server.requestedPages).toEqual([1, 2, 3]);
  });
});

describe("listAdvisoryBuilds", () => {
  const advisory = (majors: number[], releases: string[]): RockyAdvisory => ({
    name: "RLSA-2025:1",
    kind: "Security",
    severity: "Important",
    publishedAt: new Date("2025-11-27T09:00:00Z"),
    publishedAtMicroseconds: Date.parse("2025-11-27T09:00:00Z") * 1000,
    majors,
    sourcePackages: releases.map((release) => ({ name: "pkg", epoch: 0, version: "1.0", release, moduleStream: null })),
  });
  const mirror = { majors: [8, 9, 10], erratumWebUrlTemplate: "https://errata.rockylinux.org/{idUnderscore}" };

  it.each([
    ["two-digit minors", [9, 10], ["1.el9_10", "1.el10_1"], [9, 10]],
    ["a module build", [8], ["2.module+el8.10.0+1234+abcd"], [8]],
    ["no dist tag, one affected major", [9], ["3"], [9]],
    ["no dist tag, two affected majors", [8, 9], ["3"], []],
    ["a major the mirror does not carry", [7], ["1.el7_9"], []],
    ["a dist tag the advisory does not affect", [9], ["1.el8_10"], []],
  ] as const)("finds each package's major from its own dist tag: %s", (_label, majors, releases, expected) => {
    const builds = listAdvisoryBuilds(advisory([...majors], [...releases]), mirror);

    expect(builds.map((build) => build.major)).toEqual(expected);
    expect(builds.every((build) => build.url === "https://errata.rockylinux.org/RLSA-2025_1")).toBe(true);
  });
});
