import { readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import {
  API_ENDPOINTS,
  EXAMPLE_ALERT_ID,
  EXAMPLE_SILENCE_ID,
  getEndpointMethod,
  isCachedEndpoint,
  type ApiEndpoint,
  type ApiExample,
} from "../../contract/endpoints";
import { NotificationsConfig } from "../../core/config";
import { setConfigForTests } from "../../server/config/get-config";
import { setDbForTests } from "../../server/db/client";
import { resetEnvForTests } from "../../server/env";
import { runPollCycle } from "../../worker/run-poll-cycle";
import { insertContractAlerts } from "../support/alert-fixtures";
import { createSubscriptionLinkTokens, type SubscriptionLinkTokens } from "../support/subscription-fixtures";
import { testDatabaseProvider } from "../support/test-database";
import { startWorkerHarness, type WorkerHarness } from "../support/worker-harness";

const API_DIR = path.resolve(import.meta.dirname, "../../app/api/v1");
const ORIGIN = "http://srcwatch.test";
const DOCUMENT_ID = `${ORIGIN}/api/v1/openapi.json`;
const DOCUMENT_KEYWORDS = ["openapi", "info", "jsonSchemaDialect", "servers", "paths", "components"];

type RouteHandler = ((request: Request, context: { params: Promise<Record<string, string>> }) => Response | Promise<Response>) & {
  /** Set by serveEndpoint: the contract the handler serves. */
  endpoint?: ApiEndpoint;
};
const ROUTE_METHODS = ["GET", "POST", "PUT", "DELETE"] as const;
type RouteModule = Partial<Record<(typeof ROUTE_METHODS)[number] | "OPTIONS", RouteHandler>>;
interface OpenApiResponse {
  content?: Record<string, { schema: unknown }>;
}
interface OpenApiOperation {
  parameters: { name: string; in: string }[];
  responses: Record<string, OpenApiResponse>;
}
interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation>>;
}

/** app/api/v1/advisories/[id]/route.ts → /api/v1/advisories/{id} */
function toOpenApiPath(routeFile: string): string {
  const segments = path
    .relative(API_DIR, path.dirname(routeFile))
    .split(path.sep)
    .filter((segment) => segment !== "" && !/^\(.*\)$/.test(segment))
    .map((segment) => segment.replace(/^\[{1,2}(?:\.\.\.)?([^\]]+)\]{1,2}$/, "{$1}"));
  return ["/api/v1", ...segments].join("/");
}

function listRouteFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const entryPath = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name.startsWith("_") ? [] : listRouteFiles(entryPath);
    return /^route\.(ts|tsx)$/.test(entry.name) ? [entryPath] : [];
  });
}

const ROUTE_FILES = new Map(listRouteFiles(API_DIR).map((file) => [toOpenApiPath(file), file]));

async function importRoute(endpointPath: string): Promise<RouteModule> {
  const file = ROUTE_FILES.get(endpointPath);
  if (!file) throw new Error(`no route file for ${endpointPath}`);
  return (await import(pathToFileURL(file).href)) as RouteModule;
}

function buildUrl(endpoint: ApiEndpoint, example: Pick<ApiExample, "query" | "params">): string {
  const pathname = endpoint.path.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const value = example.params?.[name];
    if (value === undefined) throw new Error(`example for ${endpoint.path} lacks the path parameter ${name}`);
    return encodeURIComponent(value);
  });
  const search = new URLSearchParams(example.query ?? {}).toString();
  return `${ORIGIN}${pathname}${search ? `?${search}` : ""}`;
}

/** Link tokens of real subscriptions, for examples that say `{manageToken}` and the like. */
let linkTokens: SubscriptionLinkTokens | undefined;
/** What examples of operator endpoints send for `{operatorToken}`; the test configures it as SRCWATCH_ADMIN_TOKEN. */
const OPERATOR_TOKEN = "contract-operator-token-0123456789";

function fillPlaceholders<T>(value: T): T {
  if (typeof value === "string") {
    if (value.includes("{operatorToken}")) return value.replaceAll("{operatorToken}", OPERATOR_TOKEN) as T;
    const name = /^\{(confirmToken|manageToken|unsubscribeToken)\}$/.exec(value)?.[1] as keyof SubscriptionLinkTokens | undefined;
    if (!name) return value;
    if (!linkTokens) throw new Error(`no link tokens yet for ${value}`);
    return linkTokens[name] as T;
  }
  if (Array.isArray(value)) return value.map(fillPlaceholders) as T;
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, fillPlaceholders(child)])) as T;
  return value;
}

async function callRoute(
  endpoint: ApiEndpoint,
  example: Pick<ApiExample, "query" | "params" | "body" | "form" | "headers">,
  init: RequestInit = {},
): Promise<Response> {
  const route = await importRoute(endpoint.path);
  const method = init.method ?? getEndpointMethod(endpoint);
  const handler = route[method as keyof RouteModule];
  if (!handler) throw new Error(`${endpoint.path} exports no ${method} handler`);
  const filled = fillPlaceholders(example);
  const params = Object.fromEntries(Object.entries(filled.params ?? {}).map(([name, value]) => [name, encodeURIComponent(value)]));
  const body =
    filled.form !== undefined
      ? { body: new URLSearchParams(filled.form).toString(), headers: { "Content-Type": "application/x-www-form-urlencoded" } }
      : filled.body !== undefined
        ? { body: JSON.stringify(filled.body), headers: { "Content-Type": "application/json" } }
        : {};
  // Our own pages send their origin with every request that acts; an example may send another.
  const origin: Record<string, string> = method === "GET" || method === "HEAD" || method === "OPTIONS" ? {} : { Origin: ORIGIN };
  const headers = { ...origin, ...body.headers, ...filled.headers, ...(init.headers as Record<string, string>) };
  return handler(new Request(buildUrl(endpoint, filled), { method, ...body, ...init, headers }), {
    params: Promise.resolve(params),
  });
}

function describeExample(endpoint: ApiEndpoint, example: ApiExample): string {
  const body = example.form
    ? ` ${new URLSearchParams(example.form)}`
    : example.body === undefined
      ? ""
      : ` ${JSON.stringify(example.body).slice(0, 80)}`;
  const headers = example.headers
    ? ` (${Object.entries(example.headers)
        .map(([name, value]) => `${name}: ${value}`)
        .join(", ")})`
    : "";
  return `${getEndpointMethod(endpoint)} ${buildUrl(endpoint, example).slice(ORIGIN.length)}${body}${headers}`;
}

function escapePointer(segment: string): string {
  return segment.replaceAll("~", "~0").replaceAll("/", "~1");
}

function mediaType(response: Response): string {
  return (response.headers.get("content-type") ?? "").split(";")[0].trim();
}

const ENDPOINT_CASES = API_ENDPOINTS.map((endpoint) => [`${getEndpointMethod(endpoint)} ${endpoint.path}`, endpoint] as const);
const CACHED_ENDPOINT_CASES = ENDPOINT_CASES.filter(([, endpoint]) => isCachedEndpoint(endpoint));
const operationOf = (document: OpenApiDocument, endpoint: ApiEndpoint) =>
  document.paths[endpoint.path]?.[getEndpointMethod(endpoint).toLowerCase()];
const EXAMPLES = API_ENDPOINTS.flatMap((endpoint) => endpoint.examples.map((example) => ({ endpoint, example })));

describe(`the /api/v1 contract (${testDatabaseProvider()})`, () => {
  let harness: WorkerHarness;
  let document: OpenApiDocument;
  let ajv: Ajv2020;
  const originalAdminToken = process.env.SRCWATCH_ADMIN_TOKEN;

  beforeAll(async () => {
    process.env.SRCWATCH_ADMIN_TOKEN = OPERATOR_TOKEN;
    resetEnvForTests();
    harness = await startWorkerHarness({ start: "2023-06-10T00:00:00Z", startDate: "2023-06-01" });
    await runPollCycle(harness.deps);
    for (const day of ["2023-06-16", "2023-06-24"]) {
      harness.clock.set(new Date(day));
      await runPollCycle(harness.deps);
    }
    await insertContractAlerts(harness.database.db, {
      exampleAlertId: EXAMPLE_ALERT_ID,
      exampleSilenceId: EXAMPLE_SILENCE_ID,
      now: harness.clock.now(),
    });
    linkTokens = await createSubscriptionLinkTokens(harness.database.db, { now: new Date() });
    setDbForTests(harness.database.db);
    // Subscribing needs email configured; nothing is sent (no worker runs against these rows).
    const email = { smtp: { host: "127.0.0.1", port: 2525 }, from: "srcwatch <alerts@srcwatch.test>" };
    setConfigForTests({ ...harness.config, notifications: NotificationsConfig.parse({ ...harness.config.notifications, email }) });

    const served = await (await importRoute("/api/v1/openapi.json")).GET!(new Request(DOCUMENT_ID), { params: Promise.resolve({}) });
    expect(served.status).toBe(200);
    document = (await served.json()) as OpenApiDocument;
    // zod writes a record with enum keys (VerdictCounts) as `required` without `properties`: valid, but not "strict".
    ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
    addFormats(ajv);
    ajv.addVocabulary(DOCUMENT_KEYWORDS);
    ajv.addSchema(document, DOCUMENT_ID);
  });
  afterAll(async () => {
    if (originalAdminToken === undefined) delete process.env.SRCWATCH_ADMIN_TOKEN;
    else process.env.SRCWATCH_ADMIN_TOKEN = originalAdminToken;
    resetEnvForTests();
    setDbForTests(undefined);
    setConfigForTests(undefined);
    await harness?.close();
  });

  function findSchema(endpoint: ApiEndpoint, status: number, type: string) {
    const method = getEndpointMethod(endpoint).toLowerCase();
    const operation = operationOf(document, endpoint);
    expect(operation, `${method} ${endpoint.path} is not in the served document`).toBeDefined();
    const response = operation.responses[String(status)];
    expect(response, `${method} ${endpoint.path} does not document status ${status}`).toBeDefined();
    expect(Object.keys(response.content ?? {}), `${method} ${endpoint.path} ${status}: media types`).toContain(type);
    const pointer = ["paths", endpoint.path, method, "responses", String(status), "content", type, "schema"].map(escapePointer).join("/");
    return ajv.compile({ $ref: `${DOCUMENT_ID}#/${pointer}` });
  }

  it("serves an OpenAPI 3.1 document with one path per endpoint", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths).sort()).toEqual([...new Set(API_ENDPOINTS.map((endpoint) => endpoint.path))].sort());
    for (const endpoint of API_ENDPOINTS)
      expect(operationOf(document, endpoint), `${getEndpointMethod(endpoint)} ${endpoint.path}`).toBeDefined();
  });

  it("serves, from every route file under app/api/v1, only endpoints of API_ENDPOINTS at that file's path and method", async () => {
    const strays: string[] = [];
    for (const [routePath, file] of ROUTE_FILES) {
      const route = (await import(pathToFileURL(file).href)) as RouteModule;
      for (const method of ROUTE_METHODS) {
        const served = route[method]?.endpoint;
        if (!route[method]) continue;
        if (!served || !API_ENDPOINTS.includes(served)) strays.push(`${method} ${routePath} serves no endpoint of API_ENDPOINTS`);
        else if (served.path !== routePath || served.method !== method)
          strays.push(`${method} ${routePath} serves ${served.method} ${served.path}`);
      }
    }
    expect(strays).toEqual([]);
  });

  it.each(ENDPOINT_CASES)("serves %s from its route file with that very endpoint", async (_path, endpoint) => {
    expect(ROUTE_FILES.has(endpoint.path), `no route file for ${endpoint.path}`).toBe(true);
    const route = await importRoute(endpoint.path);
    expect(route[getEndpointMethod(endpoint)]?.endpoint).toBe(endpoint);
  });

  it.each(ENDPOINT_CASES)("documents the query parameters %s validates", (_path, endpoint) => {
    const documented = operationOf(document, endpoint)
      .parameters.filter((parameter) => parameter.in === "query")
      .map((parameter) => parameter.name);
    expect(documented).toEqual(Object.keys(endpoint.query?.shape ?? {}));
  });

  it.each(ENDPOINT_CASES)("shows every status %s documents in an example", (_path, endpoint) => {
    const shown = new Set(endpoint.examples.map((example) => example.status));
    for (const status of [endpoint.successStatus ?? 200, ...endpoint.errors])
      expect(shown, `${endpoint.path}: no example answers ${status}`).toContain(status);
  });

  it.each(EXAMPLES.map(({ endpoint, example }) => [describeExample(endpoint, example), example.status, endpoint, example] as const))(
    "answers %s with %i and a body its documented schema accepts",
    async (_url, status, endpoint, example) => {
      const response = await callRoute(endpoint, example);
      const text = await response.text();
      expect(response.status, text.slice(0, 500)).toBe(status);
      const type = mediaType(response);
      const validate = findSchema(endpoint, status, type);
      const body: unknown = type === "application/json" ? JSON.parse(text) : text;
      expect(validate(body), `${ajv.errorsText(validate.errors)}\n${text.slice(0, 500)}`).toBe(true);
      // Anyone may read the public data; answers about a subscriber's own data are for our own pages alone.
      expect(response.headers.get("access-control-allow-origin")).toBe(isCachedEndpoint(endpoint) ? "*" : null);
      if (status >= 400 || !isCachedEndpoint(endpoint)) {
        expect(response.headers.get("cache-control")).toBe("no-store");
        expect(response.headers.get("etag")).toBeNull();
      }
    },
  );

  // Answers carry `now`, so the strong ETag holds only while the clock stands still.
  it.each(CACHED_ENDPOINT_CASES)("answers %s with 304 and no body while If-None-Match still matches", async (_path, endpoint) => {
    const minuteStart = Math.floor(Date.now() / 60_000) * 60_000;
    vi.useFakeTimers({ toFake: ["Date"], now: minuteStart + 5_000 });
    onTestFinished(() => void vi.useRealTimers());
    const example = endpoint.examples.find((candidate) => candidate.status === 200)!;
    const first = await callRoute(endpoint, example);
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^(W\/)?"[A-Za-z0-9_-]+"$/);
    expect(first.headers.get("cache-control")).not.toMatch(/no-store/);
    expect(first.headers.get("access-control-expose-headers")).toMatch(/\bETag\b/i);
    expect(operationOf(document, endpoint).responses["304"]).toBeDefined();

    const opaque = etag!.replace(/^W\//, "");
    for (const ifNoneMatch of [etag!, opaque, `W/${opaque}`, `"stale", ${etag}`, "*"]) {
      const revalidated = await callRoute(endpoint, example, { headers: { "If-None-Match": ifNoneMatch } });
      expect(revalidated.status, ifNoneMatch).toBe(304);
      expect(await revalidated.text()).toBe("");
      expect(revalidated.headers.get("etag")).toBe(etag);
      expect(revalidated.headers.get("access-control-allow-origin")).toBe("*");
    }
    const changed = await callRoute(endpoint, example, { headers: { "If-None-Match": '"an-older-answer"' } });
    expect(changed.status).toBe(200);
    expect(await changed.text()).toBe(await first.text());
  });

  it("keeps the summary's ETag when only the seconds of its `now` moved, so unchanged data revalidates", async () => {
    const summary = API_ENDPOINTS.find((endpoint) => endpoint.path === "/api/v1/summary")!;
    const example = summary.examples.find((candidate) => candidate.status === 200)!;
    const minuteStart = Math.floor(Date.now() / 60_000) * 60_000;
    vi.useFakeTimers({ toFake: ["Date"], now: minuteStart + 5_000 });
    onTestFinished(() => void vi.useRealTimers());
    const first = await callRoute(summary, example);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^W\//);
    vi.setSystemTime(minuteStart + 40_000);
    const later = await callRoute(summary, example, { headers: { "If-None-Match": etag } });
    expect(later.status).toBe(304);
    vi.setSystemTime(minuteStart + 65_000);
    const nextMinute = await callRoute(summary, example, { headers: { "If-None-Match": etag } });
    expect(nextMinute.status).toBe(200);
  });

  it("changes the ETag when the answer changes", async () => {
    const advisories = API_ENDPOINTS.find((endpoint) => endpoint.path === "/api/v1/advisories")!;
    const firstPage = await callRoute(advisories, { query: { pageSize: "2", page: "1" } });
    const secondPage = await callRoute(advisories, { query: { pageSize: "2", page: "2" } });
    expect(firstPage.headers.get("etag")).not.toBe(secondPage.headers.get("etag"));
    const stale = await callRoute(
      advisories,
      { query: { pageSize: "2", page: "2" } },
      { headers: { "If-None-Match": firstPage.headers.get("etag")! } },
    );
    expect(stale.status).toBe(200);
  });

  it.each(CACHED_ENDPOINT_CASES)("answers the CORS preflight of %s for read-only GETs", async (_path, endpoint) => {
    const example = endpoint.examples.find((candidate) => candidate.status === 200)!;
    const preflight = await callRoute(endpoint, example, {
      method: "OPTIONS",
      headers: {
        Origin: "https://elsewhere.example",
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "if-none-match",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-methods")).toMatch(/\bGET\b/);
    expect(preflight.headers.get("access-control-allow-methods")).not.toMatch(/\b(POST|PUT|PATCH|DELETE)\b/);
    expect(preflight.headers.get("access-control-allow-headers")).toMatch(/if-none-match/i);
  });
});
