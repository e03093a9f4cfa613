import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { RockyApolloMirrorConfig } from "../../core/config";
import { createHttpClient } from "../../sources/http/create-http-client";
import { parseApolloAdvisories } from "../../sources/rocky-apollo/parse-apollo-advisories";
import { rockyApolloSource, type RockyApolloState } from "../../sources/rocky-apollo/rocky-apollo-source";
import { createManualClock } from "../scenario-clock";
import { createJune2023Timeline } from "../scenarios/june-2023";
import { computeMirrorPublications } from "../scenarios/mirror-publications";
import { serveReplica } from "../serve-replica";
import { createRockyReplica } from "./create-rocky-replica";

const START = new Date("2023-05-01T00:00:00Z");

describe("createRockyReplica", () => {
  const clock = createManualClock(START);
  let rateLimitMs = 0;
  const timeline = createJune2023Timeline();
  const publications = computeMirrorPublications(timeline, "rocky");
  const replica = createRockyReplica({ timeline, clock, basePath: "/rocky", rateLimitNow: () => rateLimitMs });
  let server: { url: string; close(): Promise<void> };
  let sleeps: number[] = [];

  const publishedBy = (at: Date) => publications.filter((item) => item.publishedAt <= at);
  const refsBy = (at: Date) =>
    publishedBy(at)
      .map((item) => `${item.erratumId}/${item.nvr}`)
      .sort();
  const fetchPage = (query: string) => fetch(`${server.url}/rocky/api/v3/advisories/?${query}`);

  function createMirror(): RockyApolloMirrorConfig {
    return RockyApolloMirrorConfig.parse({
      id: "rocky",
      kind: "rocky-apollo",
      name: "Rocky Linux",
      majors: [8, 9],
      apiUrl: `${server.url}/rocky/api/v3`,
      pageSize: 5,
      erratumWebUrlTemplate: `${server.url}/rocky/{idUnderscore}`,
    });
  }

  async function poll(state: unknown, retries = 2) {
    const http = createHttpClient({
      userAgent: "srcwatch-test",
      timeoutMs: 5000,
      maxResponseBytes: 10 * 1024 * 1024,
      retries,
      perHostMinIntervalMs: 0,
      concurrency: 2,
      allowedHosts: [new URL(server.url).host],
      allowPrivateNetwork: true,
      random: () => 0,
      sleep: async (ms) => {
        sleeps.push(ms);
        rateLimitMs += ms;
      },
    });
    const result = await rockyApolloSource.poll({
      http,
      mirror: createMirror(),
      openPackages: new Map(),
      storedEvidence: new Map(),
      state,
    });
    if (!result.ok) throw new Error(`${result.error.kind}: ${result.error.message}`);
    return { ...result, state: result.state as RockyApolloState, requests: http.stats.requests, bytes: http.stats.bytes };
  }

  beforeAll(async () => {
    server = await serveReplica(replica);
  });
  afterAll(() => server.close());
  beforeEach(() => {
    clock.set(START);
    replica.setRateLimit(null);
    rateLimitMs += 600_000;
    sleeps = [];
  });

  it("lists the advisories published by now newest first, in Apollo's envelope with root-relative links", async () => {
    const body = await (await fetchPage("page=1&size=5")).json();
    const visibleNames = [...new Set(publishedBy(START).map((item) => item.erratumId))];

    expect(body.total).toBe(visibleNames.length);
    expect(body.links).toEqual({
      first: "/rocky/api/v3/advisories/?size=5&page=1",
      last: `/rocky/api/v3/advisories/?size=5&page=${Math.ceil(visibleNames.length / 5)}`,
      self: "/rocky/api/v3/advisories/?size=5&page=1",
      next: "/rocky/api/v3/advisories/?size=5&page=2",
      prev: null,
    });
    const times = body.advisories.map((advisory: { published_at: string }) => Date.parse(advisory.published_at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(body.advisories[0].published_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
    const parsed = parseApolloAdvisories(JSON.stringify(body));
    expect(parsed.ok && parsed.page.rejected).toEqual([]);
    expect(parsed.ok && parsed.page.advisories.every((advisory) => advisory.sourcePackages.length > 0)).toBe(true);
  });

  it("refuses a page size over 100 as Apollo does", async () => {
    expect((await fetchPage("page=1&size=101")).status).toBe(422);
  });

  it("answers 429 with Retry-After in seconds once over the rate limit, and serves again after the window", async () => {
    replica.setRateLimit({ requests: 2, windowMs: 10_000 });

    const statuses = [(await fetchPage("page=1&size=5")).status, (await fetchPage("page=1&size=5")).status];
    rateLimitMs += 3_500;
    const limited = await fetchPage("page=1&size=5");
    rateLimitMs += 6_500;
    const again = await fetchPage("page=1&size=5");

    expect(statuses).toEqual([200, 200]);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect(again.status).toBe(200);
  });

  it("serves an erratum page only once the advisory is published", async () => {
    const next = publications.find((item) => item.publishedAt > START)!;
    const pageUrl = `${server.url}/rocky/${next.erratumId!.replace(":", "_")}`;

    const before = await fetch(pageUrl);
    clock.set(next.publishedAt);
    const after = await fetch(pageUrl);

    expect(before.status).toBe(404);
    expect(after.status).toBe(200);
    expect(await after.text()).toContain(`${next.nvr}.src.rpm`);
  });

  it("lists only what was published strictly after after_raw, keeps the filter in its links, and refuses a bad date with 400", async () => {
    const all = (await (await fetchPage("page=1&size=100")).json()) as { advisories: Array<{ name: string; published_at: string }> };
    const pivot = all.advisories[3];
    const pivotMicros = `${pivot.published_at.slice(0, 26)}Z`;
    const after = encodeURIComponent(pivotMicros);

    const newer = await (await fetchPage(`page=1&size=2&after_raw=${after}`)).json();
    const pastTheEnd = await (await fetchPage(`page=3&size=2&after_raw=${after}`)).json();
    const before = await (await fetchPage(`page=1&size=100&before_raw=${after}`)).json();
    const bad = await fetchPage("page=1&size=2&after_raw=yesterday");

    expect(newer.total).toBe(3);
    expect(newer.advisories.map((advisory: { name: string }) => advisory.name)).toEqual(
      all.advisories.slice(0, 2).map((item) => item.name),
    );
    expect(newer.links.next).toBe(`/rocky/api/v3/advisories/?size=2&page=2&after_raw=${after}`);
    expect(pastTheEnd).toMatchObject({ advisories: [], total: 0, links: { next: null } });
    expect(before.advisories[0].name).toBe(all.advisories[4].name);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ detail: "Invalid after date" });
  });

  it("is read by the Rocky source across pages, then with one small request per poll while nothing is new", async () => {
    const first = await poll(rockyApolloSource.initialState);
    clock.set(new Date("2023-05-03T00:00:00Z"));
    const second = await poll(first.state);
    const steady = await poll(second.state);

    expect(first.requests).toBe(Math.ceil(new Set(publishedBy(START).map((item) => item.erratumId)).size / 5));
    expect(first.requests).toBeGreaterThan(2);
    expect(first.builds.map((build) => build.ref).sort()).toEqual(refsBy(START));
    expect(first.failures).toEqual([]);
    const newRefs = refsBy(clock.now()).filter((ref) => !refsBy(START).includes(ref));
    const newAdvisories = new Set(newRefs.map((ref) => ref.split("/")[0])).size;
    expect(newAdvisories).toBeGreaterThan(1);
    // One advisory past the mark, then the pages of what is new.
    expect(second.requests).toBe(1 + Math.ceil(newAdvisories / 5));
    expect(second.builds.map((build) => build.ref).sort()).toEqual(newRefs);
    expect(steady.requests).toBe(1);
    expect(steady.bytes).toBeLessThan(500);
    expect(steady.builds).toEqual([]);
    expect(steady.state).toEqual(second.state);
    const pcs = first.builds.find((build) => build.ref.endsWith("/pcs-0.11.3-4.el9_1.3.rocky.0.1"))!;
    expect(pcs).toMatchObject({ major: 9, epoch: 0, publishedAt: new Date("2023-04-04T21:26:08Z") });
    expect((await fetch(pcs.url ?? "")).status).toBe(200);
  });

  it("waits out a 429 from the replica and then reads on", async () => {
    replica.setRateLimit({ requests: 2, windowMs: 1_000 });

    const result = await poll(rockyApolloSource.initialState);

    expect(sleeps.length).toBeGreaterThan(0);
    expect(sleeps.every((ms) => ms === 1_000)).toBe(true);
    expect(result.failures).toEqual([]);
    expect(result.builds.map((build) => build.ref).sort()).toEqual(refsBy(START));
  });

  it("returns a partial poll while the rate limit persists, then resumes without losing an advisory", async () => {
    replica.setRateLimit({ requests: 2, windowMs: 3_600_000 });

    const limited = await poll(rockyApolloSource.initialState);
    replica.setRateLimit(null);
    clock.set(new Date("2023-05-02T00:00:00Z"));
    const resumed = await poll(limited.state);
    const caughtUp = await poll(resumed.state);

    expect(limited.failures).toEqual([
      { item: "advisories page 3", error: expect.objectContaining({ kind: "rate_limited", status: 429 }) },
    ]);
    expect(limited.state).toMatchObject({ highWaterMark: null, resume: { page: 3, pageSize: 5 } });
    expect(resumed.failures).toEqual([]);
    expect(resumed.state.resume).toBeNull();
    const allRefs = new Set([...limited.builds, ...resumed.builds, ...caughtUp.builds].map((build) => build.ref));
    expect([...allRefs].sort()).toEqual(refsBy(clock.now()));
  });
});
