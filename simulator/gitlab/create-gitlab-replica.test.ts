import type http from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createManualClock } from "../scenario-clock";
import { createJune2023Timeline } from "../scenarios/june-2023";
import { serveReplica } from "../serve-replica";
import { createGitLabReplica } from "./create-gitlab-replica";

const FIREFOX_TAGS = "/gitlab/api/v4/projects/redhat%2Fcentos-stream%2Frpms%2Ffirefox/repository/tags";

describe("createGitLabReplica", () => {
  const clock = createManualClock(new Date("2023-06-01T00:00:00Z"));
  let rateLimitMs = 0;
  const timeline = createJune2023Timeline();
  const replica = createGitLabReplica({
    timeline,
    clock,
    basePath: "/gitlab",
    requestsPerMinute: 5,
    rateLimitNow: () => rateLimitMs,
    maxPerPage: 2,
  });
  let server: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    server = await serveReplica(replica);
  });
  afterAll(() => server.close());
  beforeEach(() => {
    clock.set(new Date("2023-06-01T00:00:00Z"));
    rateLimitMs += 120_000;
  });

  it("lists only the tags published by now, newest first, and more as the clock advances", async () => {
    const early = (await (await fetch(`${server.url}${FIREFOX_TAGS}?search=%5Efirefox-&per_page=100`)).json()) as Array<{ name: string }>;
    clock.set(new Date("2023-10-01T00:00:00Z"));
    const late = (await (await fetch(`${server.url}${FIREFOX_TAGS}?search=%5Efirefox-&per_page=2&page=2`)).json()) as Array<{
      name: string;
    }>;

    expect(early.map((tag) => tag.name)).toEqual(["firefox-102.11.0-3.el9", "firefox-102.10.0-2.el9"]);
    expect(late.map((tag) => tag.name)).toEqual(["firefox-102.14.0-2.el9", "firefox-102.13.0-3.el9"]);
  });

  it("pages like GitLab with x-next-page, x-total-pages and Link, the last page with an empty x-next-page", async () => {
    clock.set(new Date("2023-10-01T00:00:00Z"));
    const first = await fetch(`${server.url}${FIREFOX_TAGS}?search=%5Efirefox-&per_page=2`);
    const last = await fetch(`${server.url}${FIREFOX_TAGS}?search=%5Efirefox-&per_page=2&page=4`);

    expect(first.headers.get("x-next-page")).toBe("2");
    expect(first.headers.get("x-total-pages")).toBe("4");
    expect(first.headers.get("x-total")).toBe("7");
    expect(first.headers.get("link")).toContain('per_page=2&page=2>; rel="next"');
    expect(last.headers.get("x-next-page")).toBe("");
    expect(((await last.json()) as unknown[]).length).toBe(1);
  });

  it("gives each tag its commit with created_at at the publication time", async () => {
    const [tag] = (await (await fetch(`${server.url}${FIREFOX_TAGS}?search=%5Efirefox-102.10`)).json()) as Array<{
      name: string;
      commit: { id: string; created_at: string };
    }>;

    expect(tag.name).toBe("firefox-102.10.0-2.el9");
    expect(tag.commit.id).toMatch(/^[0-9a-f]{40}$/);
    expect(tag.commit.created_at).toBe("2023-04-15T04:29:45.000Z");
  });

  it("answers 404 for a project that does not exist", async () => {
    const response = await fetch(`${server.url}/gitlab/api/v4/projects/redhat%2Fcentos-stream%2Frpms%2Fno-such-package/repository/tags`);

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: "404 Project Not Found" });
  });

  it("answers 429 with Retry-After once the per-minute budget is spent, and again 200 in the next minute", async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let index = 0; index < 6; index++) {
      const response = await fetch(`${server.url}${FIREFOX_TAGS}`);
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get("retry-after");
    }
    rateLimitMs += 60_000;
    const nextMinute = await fetch(`${server.url}${FIREFOX_TAGS}`);

    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(nextMinute.status).toBe(200);
  });

  it("serves a web page for a visible tag and 404 for one not yet published", async () => {
    const page = await fetch(`${server.url}/gitlab/redhat/centos-stream/rpms/firefox/-/tags/firefox-102.10.0-2.el9`);
    const future = await fetch(`${server.url}/gitlab/redhat/centos-stream/rpms/firefox/-/tags/firefox-102.15.1-2.el9`);

    expect(page.status).toBe(200);
    expect(await page.text()).toContain("firefox-102.10.0-2.el9");
    expect(future.status).toBe(404);
  });

  it("leaves paths outside its base path to others", () => {
    const handled = replica.handle({} as http.IncomingMessage, {} as http.ServerResponse, "/rpms/bash.git/info/refs");

    expect(handled).toBe(false);
  });
});
