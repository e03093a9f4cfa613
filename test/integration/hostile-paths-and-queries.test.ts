import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getAdvisoryRoute } from "../../app/api/v1/advisories/[id]/route";
import { GET as listAdvisoriesRoute } from "../../app/api/v1/advisories/route";
import { GET as getMirrorRoute } from "../../app/api/v1/mirrors/[id]/route";
import { GET as searchRoute } from "../../app/api/v1/search/route";
import { GET as getBadgeRoute } from "../../app/badges/[mirror]/[file]/route";
import { GET as getAlertsFeedRoute } from "../../app/feeds/alerts.atom/route";
import { proxy } from "../../proxy";
import { setConfigForTests } from "../../server/config/get-config";
import { parseConfig } from "../../server/config/load-config";
import { setDbForTests } from "../../server/db/client";
import { syncConfiguredMirrors } from "../../server/mirrors/sync-configured-mirrors";
import type { AdvisoryListResponse } from "../../contract/advisory-dto";
import type { ApiErrorBody } from "../../contract/api-error";
import { SearchResponse } from "../../contract/search-dto";
import { createTestDatabase, testDatabaseProvider, type TestDatabase } from "../support/test-database";

const ORIGIN = "http://srcwatch.test";
const now = new Date("2023-06-20T12:00:00Z");

const config = parseConfig({
  upstreams: [{ id: "feed", kind: "csaf", name: "Feed", baseUrl: "http://127.0.0.1:1/", startDate: "2023-01-01", majors: [8] }],
  mirrors: [
    {
      id: "git.centos.org",
      kind: "git-forge",
      name: "git.centos.org",
      majors: [8],
      repoUrlTemplate: "http://127.0.0.1:1/{name}.git",
      tagTemplate: "imports/c{major}/{nvr}",
      tagWebUrlTemplate: "x",
    },
  ],
  notifications: { publicUrl: "https://srcwatch.example.org/" },
});

/** Names chosen so that a LIKE wildcard left live matches the wrong ones: `_` any one character, `%` anything. */
const ADVISORIES = [
  { id: "RHSA-2023:0001", packageName: "perl-Net_SSLeay" },
  { id: "RHSA-2023:0002", packageName: "perl-NetXSSLeay" },
  { id: "RHBA-2023:0003", packageName: "libatomic" },
];

async function readJson<T>(response: Response, status: number): Promise<T> {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  return (await response.json()) as T;
}

async function searchFor(q: string): Promise<SearchResponse> {
  return SearchResponse.parse(await readJson(await searchRoute(new Request(`${ORIGIN}/api/v1/search?q=${encodeURIComponent(q)}`)), 200));
}

async function listAdvisoryIds(q: string): Promise<string[]> {
  const list = await readJson<AdvisoryListResponse>(
    await listAdvisoriesRoute(new Request(`${ORIGIN}/api/v1/advisories?q=${encodeURIComponent(q)}`)),
    200,
  );
  return list.items.map((item) => item.id).sort();
}

describe(`LIKE wildcards in search text match only themselves (${testDatabaseProvider()})`, () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
    setDbForTests(database.db);
    setConfigForTests(config);
    await syncConfiguredMirrors(database.db, config);
    for (const advisory of ADVISORIES) {
      await database.db.advisory.create({
        data: {
          id: advisory.id,
          upstreamId: "feed",
          type: "security",
          issuedAt: now,
          updatedAt: now,
          url: `https://access.redhat.com/errata/${advisory.id}`,
          fetchedAt: now,
          packages: { create: [{ name: advisory.packageName, epoch: 0, version: "1.0", release: "1.el8", major: 8, stream: "8" }] },
        },
      });
    }
  });
  afterAll(async () => {
    setDbForTests(undefined);
    setConfigForTests(undefined);
    await database?.drop();
  });

  it("finds no package and no advisory for q=% (no name contains a percent sign)", async () => {
    expect(await searchFor("%")).toMatchObject({ packages: [], advisories: [] });
    expect(await searchFor("%%%%")).toMatchObject({ packages: [], advisories: [] });
    expect(await listAdvisoryIds("%")).toEqual([]);
  });

  it("finds only names with a literal underscore for q=_", async () => {
    expect((await searchFor("_")).packages.map((hit) => hit.name)).toEqual(["perl-Net_SSLeay"]);
    expect((await searchFor("Net_SSL")).packages.map((hit) => hit.name)).toEqual(["perl-Net_SSLeay"]);
    expect(await listAdvisoryIds("_")).toEqual(["RHSA-2023:0001"]);
    expect(await listAdvisoryIds("Net_SSL")).toEqual(["RHSA-2023:0001"]);
  });

  it("treats a backslash as a character, not as an escape", async () => {
    expect(await searchFor("Net\\_SSLeay")).toMatchObject({ packages: [] });
    expect(await listAdvisoryIds("\\")).toEqual([]);
  });

  it("still finds package names and advisory ids by plain text", async () => {
    expect((await searchFor("SSLeay")).packages.map((hit) => hit.name).sort()).toEqual(["perl-NetXSSLeay", "perl-Net_SSLeay"]);
    expect((await searchFor("2023:000")).advisories.map((hit) => hit.id).sort()).toEqual([
      "RHBA-2023:0003",
      "RHSA-2023:0001",
      "RHSA-2023:0002",
    ]);
    expect(await listAdvisoryIds("perl-Net")).toEqual(["RHSA-2023:0001", "RHSA-2023:0002"]);
    expect(await listAdvisoryIds("rhba")).toEqual(["RHBA-2023:0003"]);
  });
});

describe("prototype-named query parameters", () => {
  it.each(["__proto__", "constructor", "prototype"])("answers 400 naming %s on the JSON API", async (key) => {
    const body = await readJson<ApiErrorBody>(await listAdvisoriesRoute(new Request(`${ORIGIN}/api/v1/advisories?${key}=x`)), 400);
    expect(body.error.code).toBe("bad_request");
    expect(body.error.message).toContain(`"${key}"`);
    expect(body.error.details).toEqual([{ parameter: key, message: expect.stringContaining("unknown parameter") }]);
  });

  it.each([
    ["/api/v1/summary?__proto__=x", "__proto__"],
    ["/api/v1/advisories?q=kernel&%5F%5Fproto%5F%5F=x", "__proto__"],
    ["/api/v1/advisories?constructor=x", "constructor"],
  ])("answers 400 naming it from the proxy, which sees the query before Next drops __proto__: %s", async (path, key) => {
    const response = proxy(new NextRequest(`${ORIGIN}${path}`));
    const body = await readJson<ApiErrorBody>(response, 400);
    expect(body.error).toMatchObject({ code: "bad_request", details: [{ parameter: key, message: "unknown parameter" }] });
    expect(body.error.message).toContain(`"${key}"`);
  });

  it("answers 400 in plain text to a page asked with ?__proto__=", async () => {
    const response = proxy(new NextRequest(`${ORIGIN}/updates?__proto__=x`));
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await response.text()).toContain('"__proto__"');
  });

  it("answers 400 to ?__proto__= on the feed and on badges too", async () => {
    const feed = await getAlertsFeedRoute(new Request(`${ORIGIN}/feeds/alerts.atom?__proto__=x`));
    expect(feed.status).toBe(400);
    expect(await feed.text()).toContain('"__proto__"');
    const badge = await getBadgeRoute(new Request(`${ORIGIN}/badges/git.centos.org/8.json?__proto__=x`), {
      params: Promise.resolve({ mirror: "git.centos.org", file: "8.json" }),
    });
    expect(badge.status).toBe(400);
    expect(await badge.json()).toMatchObject({ message: "invalid __proto__", isError: true });
  });
});

describe("malformed percent-escapes in a path", () => {
  it("answer 400 from the route handlers, not 500", async () => {
    const advisory = await readJson<ApiErrorBody>(
      await getAdvisoryRoute(new Request(`${ORIGIN}/api/v1/advisories/%FF%FE`), { params: Promise.resolve({ id: "%FF%FE" }) }),
      400,
    );
    expect(advisory.error).toMatchObject({ code: "bad_request", message: expect.stringContaining("%FF%FE") });
    const mirror = await readJson<ApiErrorBody>(
      await getMirrorRoute(new Request(`${ORIGIN}/api/v1/mirrors/%E0%A4%A`), { params: Promise.resolve({ id: "%E0%A4%A" }) }),
      400,
    );
    expect(mirror.error.code).toBe("bad_request");
    const badgeFile = await getBadgeRoute(new Request(`${ORIGIN}/badges/x/%C0%AE.svg`), {
      params: Promise.resolve({ mirror: "x", file: "%C0%AE.svg" }),
    });
    expect(badgeFile.status).toBe(400);
    const badgeMirror = await getBadgeRoute(new Request(`${ORIGIN}/badges/%C0%AE/8.svg`), {
      params: Promise.resolve({ mirror: "%C0%AE", file: "8.svg" }),
    });
    expect(badgeMirror.status).toBe(400);
    expect(badgeMirror.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
  });

  it.each([
    ["/api/v1/advisories/%FF%FE", /^application\/json/],
    ["/api/v1/packages/ok/%ZZ", /^application\/json/],
    ["/badges/%C0%AE/8.svg", /^text\/plain/],
    ["/advisories/%FF", /^text\/plain/],
    ["/mirrors/git.centos.org%", /^text\/plain/],
  ])("answer 400 from the proxy before any route: %s", async (path, contentType) => {
    const response = proxy(new NextRequest(`${ORIGIN}${path}`));
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toMatch(contentType);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
    if (path.startsWith("/api/")) expect(((await response.json()) as ApiErrorBody).error.code).toBe("bad_request");
  });
});

describe("the proxy's Content-Security-Policy", () => {
  function readNonce(policy: string | null): string | undefined {
    return /'nonce-([^']+)'/.exec(policy ?? "")?.[1];
  }

  it("gives each page a fresh nonce and hands the same policy to the render, so Next stamps its scripts", () => {
    const first = proxy(new NextRequest(`${ORIGIN}/subscribe`));
    const second = proxy(new NextRequest(`${ORIGIN}/subscribe`));
    const policy = first.headers.get("content-security-policy");
    expect(first.status).toBe(200);
    expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}' 'strict-dynamic'/);
    expect(policy).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    for (const directive of ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "form-action 'self'"])
      expect(policy).toContain(directive);
    expect(readNonce(second.headers.get("content-security-policy"))).not.toBe(readNonce(policy));
    // NextResponse.next({ request: { headers } }) forwards overridden request headers this way.
    expect(first.headers.get("x-middleware-request-content-security-policy")).toBe(policy);
  });

  it.each(["/api/v1/summary", "/feeds/alerts.atom", "/badges/git.centos.org/8.svg", "/metrics", "/_next/static/chunks/main.js"])(
    "gives data answers a policy that runs nothing: %s",
    (path) => {
      const response = proxy(new NextRequest(`${ORIGIN}${path}`));
      expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(response.headers.get("x-middleware-request-content-security-policy")).toBeNull();
    },
  );
});
