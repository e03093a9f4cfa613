import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GitLabMirrorConfig } from "../../core/config";
import { createGitLabReplica } from "../../simulator/gitlab/create-gitlab-replica";
import { createManualClock } from "../../simulator/scenario-clock";
import { createJune2023Timeline } from "../../simulator/scenarios/june-2023";
import { serveReplica } from "../../simulator/serve-replica";
import { createHttpClient } from "../http/create-http-client";
import { listSourceHosts } from "../http/list-source-hosts";
import type { MirrorPollInput } from "../source-contracts";
import { createGitLabSource } from "./gitlab-source";

const timeline = createJune2023Timeline();
const clock = createManualClock(new Date("2023-10-01T00:00:00Z"));
let rateLimitMs = 0;
let replicaRequestsPerMinute = 1000;
const replica = createGitLabReplica({
  timeline,
  clock,
  basePath: "/gitlab",
  requestsPerMinute: 1000,
  rateLimitNow: () => rateLimitMs,
  maxPerPage: 2,
});
const strictReplica = createGitLabReplica({
  timeline,
  clock,
  basePath: "/gitlab",
  get requestsPerMinute() {
    return replicaRequestsPerMinute;
  },
  rateLimitNow: () => rateLimitMs,
});
let server: { url: string; close(): Promise<void> };
let strictServer: { url: string; close(): Promise<void> };
const extraServers: http.Server[] = [];

beforeAll(async () => {
  server = await serveReplica(replica);
  strictServer = await serveReplica(strictReplica);
});
afterAll(async () => {
  await server.close();
  await strictServer.close();
  for (const extra of extraServers) {
    extra.closeAllConnections();
    await new Promise((resolve) => extra.close(resolve));
  }
});
beforeEach(() => {
  clock.set(new Date("2023-10-01T00:00:00Z"));
  rateLimitMs += 3_600_000;
});

function createMirror(baseUrl: string, overrides: Partial<GitLabMirrorConfig> = {}): GitLabMirrorConfig {
  return GitLabMirrorConfig.parse({
    id: "centos-stream",
    kind: "gitlab",
    name: "CentOS Stream",
    majors: [9, 10],
    relation: "related",
    apiUrl: `${baseUrl}/gitlab/api/v4`,
    projectPathTemplate: "redhat/centos-stream/rpms/{name}",
    tagTemplate: "{nvr}",
    tagWebUrlTemplate: `${baseUrl}/gitlab/redhat/centos-stream/rpms/{name}/-/tags/{tag}`,
    ...overrides,
  });
}

function createTestHttpClient(mirror: GitLabMirrorConfig, options: { retries?: number; onSleep?: (ms: number) => void } = {}) {
  return createHttpClient({
    userAgent: "srcwatch-test/1",
    timeoutMs: 5_000,
    maxResponseBytes: 1024 * 1024,
    retries: options.retries ?? 0,
    perHostMinIntervalMs: 0,
    concurrency: 4,
    allowedHosts: listSourceHosts(mirror),
    allowPrivateNetwork: true,
    sleep: async (ms) => options.onSleep?.(ms),
  });
}

function createInput(
  mirror: GitLabMirrorConfig,
  openPackages: Record<string, number[]>,
  overrides: Partial<MirrorPollInput<GitLabMirrorConfig>> = {},
): MirrorPollInput<GitLabMirrorConfig> {
  return {
    http: createTestHttpClient(mirror),
    mirror,
    openPackages: new Map(Object.entries(openPackages).map(([name, majors]) => [name, new Set(majors)])),
    storedEvidence: new Map(),
    state: { nextName: null },
    ...overrides,
  };
}

const noWait = () => createGitLabSource({ now: () => 0, sleep: async () => undefined });

describe("gitLabSource", () => {
  it("reads every page of an open package's tags, with commit times and tag links", async () => {
    const result = await noWait().poll(createInput(createMirror(server.url), { firefox: [9] }));

    expect(result.ok && result.failures).toEqual([]);
    expect(result.ok && result.builds.map((build) => build.ref)).toEqual([
      "refs/tags/firefox-102.10.0-2.el9",
      "refs/tags/firefox-102.11.0-3.el9",
      "refs/tags/firefox-102.12.0-2.el9",
      "refs/tags/firefox-102.13.0-3.el9",
      "refs/tags/firefox-102.14.0-2.el9",
      "refs/tags/firefox-102.15.0-2.el9",
      "refs/tags/firefox-102.15.1-2.el9",
    ]);
    expect(result.ok && result.builds[0]).toEqual({
      name: "firefox",
      epoch: null,
      version: "102.10.0",
      release: "2.el9",
      evidenceKind: "tag",
      major: 9,
      moduleStream: null,
      ref: "refs/tags/firefox-102.10.0-2.el9",
      url: `${server.url}/gitlab/redhat/centos-stream/rpms/firefox/-/tags/firefox-102.10.0-2.el9`,
      commitSha: expect.stringMatching(/^[0-9a-f]{40}$/),
      publishedAt: new Date("2023-04-15T04:29:45.000Z"),
      publishedAtOrigin: "forge_api",
    });
    expect(replica.stats().requests).toBeGreaterThanOrEqual(4);
  });

  it("sees tags appear as the scenario clock advances", async () => {
    clock.set(new Date("2023-05-01T00:00:00Z"));
    const early = await noWait().poll(createInput(createMirror(server.url), { firefox: [9] }));
    clock.set(new Date("2023-06-01T00:00:00Z"));
    const later = await noWait().poll(createInput(createMirror(server.url), { firefox: [9] }));

    expect(early.ok && early.builds.map((build) => build.release)).toEqual(["2.el9"]);
    expect(later.ok && later.builds.map((build) => build.release)).toEqual(["2.el9", "3.el9"]);
  });

  it("treats a missing project as no builds, and skips packages of majors the mirror does not carry", async () => {
    const result = await noWait().poll(createInput(createMirror(server.url), { "no-such-package": [9], firefox: [8] }));

    expect(result).toEqual({ ok: true, builds: [], state: { nextName: null }, failures: [] });
  });

  it("keeps only tags of the package itself, not of packages whose name it prefixes", async () => {
    const result = await noWait().poll(createInput(createMirror(server.url), { kernel: [9] }));

    expect(result.ok && result.builds.length).toBeGreaterThan(0);
    expect(result.ok && result.builds.every((build) => build.name === "kernel" && build.major === 9)).toBe(true);
  });

  it("waits out a 429 with Retry-After through the HTTP client and then reads the tags", async () => {
    replicaRequestsPerMinute = 1;
    const sleeps: number[] = [];
    const http = createTestHttpClient(createMirror(strictServer.url), {
      retries: 2,
      onSleep: (ms) => {
        sleeps.push(ms);
        rateLimitMs += ms;
      },
    });

    const result = await noWait().poll(createInput(createMirror(strictServer.url), { firefox: [9], thunderbird: [9] }, { http }));

    expect(result.ok && result.failures).toEqual([]);
    expect(result.ok && result.builds.filter((build) => build.name === "thunderbird")).toHaveLength(7);
    expect(sleeps.length).toBeGreaterThan(0);
    expect(sleeps.every((ms) => ms >= 1000 && ms <= 60_000)).toBe(true);
  });

  it("stops when still rate limited, returns what it read, and starts the next poll with the names it missed", async () => {
    replicaRequestsPerMinute = 2;
    const source = noWait();
    const mirror = createMirror(strictServer.url, { concurrency: 1 });
    const openPackages = { firefox: [9], kernel: [9], thunderbird: [9], webkit2gtk3: [9] };

    const first = await source.poll(createInput(mirror, openPackages));
    rateLimitMs += 60_000;
    const second = await source.poll(createInput(mirror, openPackages, { state: first.ok ? first.state : null }));

    expect(first.ok && first.builds.map((build) => build.name)).toEqual([...Array(7).fill("firefox"), ...Array(5).fill("kernel")]);
    expect(first.ok && first.failures.map((failure) => [failure.item, failure.error.kind])).toEqual([
      ["thunderbird", "rate_limited"],
      ["webkit2gtk3", "rate_limited"],
    ]);
    expect(first.ok && first.state).toEqual({ nextName: "thunderbird" });
    expect(second.ok && [...new Set(second.builds.map((build) => build.name))]).toEqual(["thunderbird", "webkit2gtk3"]);
    expect(second.ok && second.state).toEqual({ nextName: "firefox" });
  });

  it("fails the poll when every package is rate limited", async () => {
    replicaRequestsPerMinute = 1;
    await fetch(`${strictServer.url}/gitlab/api/v4/version`);

    const result = await noWait().poll(createInput(createMirror(strictServer.url), { firefox: [9] }));

    expect(result).toMatchObject({ ok: false, error: { kind: "rate_limited", status: 429 } });
  });

  it("never starts more requests per minute than its budget", async () => {
    let nowMs = 0;
    const waits: number[] = [];
    const source = createGitLabSource({
      now: () => nowMs,
      sleep: async (ms) => {
        waits.push(ms);
        nowMs += ms;
      },
    });

    const result = await source.poll(createInput(createMirror(server.url, { requestsPerMinute: 3, concurrency: 1 }), { firefox: [9] }));

    expect(result.ok && result.builds).toHaveLength(7);
    expect(waits).toEqual([60_000]);
  });

  it("reports a tag list that is not GitLab's as invalid data of that package", async () => {
    const garbage = http.createServer((request, response) => {
      const isBash = (request.url ?? "").includes("bash");
      response.writeHead(200, { "content-type": "application/json" });
      response.end(isBash ? JSON.stringify({ message: "this is not a list" }) : "[]");
    });
    extraServers.push(garbage);
    await new Promise<void>((resolve) => garbage.listen(0, "127.0.0.1", resolve));
    const garbageUrl = `http://127.0.0.1:${(garbage.address() as AddressInfo).port}`;

    const result = await noWait().poll(createInput(createMirror(garbageUrl), { bash: [9], zlib: [9] }));

    expect(result.ok && result.failures.map((failure) => [failure.item, failure.error.kind])).toEqual([["bash", "invalid_data"]]);
  });

  it("takes a tag's time from the API's commit, else the tag's own, and leaves a tag without either with no time", async () => {
    const tags = [
      { name: "bash-5.1.8-9.el9", commit: { id: "a".repeat(40), created_at: "2023-05-02T10:00:00Z" }, created_at: "2023-05-03T10:00:00Z" },
      { name: "bash-5.1.8-10.el9", commit: { id: "b".repeat(40), created_at: null }, created_at: "2023-06-04T08:00:00Z" },
      { name: "bash-5.1.8-11.el9", commit: null, created_at: null },
    ];
    const fake = http.createServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(tags));
    });
    extraServers.push(fake);
    await new Promise<void>((resolve) => fake.listen(0, "127.0.0.1", resolve));
    const fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;

    const result = await noWait().poll(createInput(createMirror(fakeUrl), { bash: [9] }));

    expect(
      result.ok && result.builds.map((build) => [build.release, build.publishedAt?.toISOString() ?? null, build.publishedAtOrigin]),
    ).toEqual([
      ["10.el9", "2023-06-04T08:00:00.000Z", "forge_api"],
      ["11.el9", null, null],
      ["9.el9", "2023-05-02T10:00:00.000Z", "forge_api"],
    ]);
  });

  it("probes the API when no package is open, so that health stays true", async () => {
    const answered = await noWait().poll(createInput(createMirror(server.url), {}));
    const down = await noWait().poll(createInput(createMirror("http://127.0.0.1:1"), {}));

    expect(answered).toEqual({ ok: true, builds: [], state: { nextName: null }, failures: [] });
    expect(down).toMatchObject({ ok: false, error: { kind: "network" } });
  });
});
