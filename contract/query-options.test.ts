import { afterEach, describe, expect, it, vi } from "vitest";
import { AdvisoryListQuery } from "./advisory-dto";
import { ApiRequestError } from "./api-request-error";
import { buildEndpointUrl } from "./endpoint";
import {
  getAdvisoryEndpoint,
  getMirrorHistoryEndpoint,
  getOpenApiDocumentEndpoint,
  getSummaryEndpoint,
  listAdvisoriesEndpoint,
  listPollRunsEndpoint,
} from "./endpoints";
import { PollRunsQuery } from "./poll-run-dto";
import { endpointQueryKey, endpointQueryOptions } from "./query-options";

function stubFetch(status: number, body: unknown) {
  const fetchMock = vi.fn(async (_url: string, _init?: RequestInit) => Response.json(body, { status }));
  vi.stubGlobal("fetch", fetchMock);
  return fetchMock;
}

const runQuery = <T>(options: { queryFn?: unknown }, signal = new AbortController().signal) =>
  (options.queryFn as (context: { signal: AbortSignal }) => Promise<T>)({ signal });

describe("endpoint URLs", () => {
  it("fills the path parameters percent-encoded and leaves out the query values the schema defaults to", () => {
    expect(buildEndpointUrl(getAdvisoryEndpoint, { params: { id: "RHSA-2023:3722" } })).toBe("/api/v1/advisories/RHSA-2023%3A3722");
    expect(buildEndpointUrl(listAdvisoriesEndpoint, { query: AdvisoryListQuery.parse({}) })).toBe("/api/v1/advisories");
    expect(
      buildEndpointUrl(listAdvisoriesEndpoint, {
        query: AdvisoryListQuery.parse({ verdict: "missing,delayed", major: "8", sort: "id", page: "2" }),
      }),
    ).toBe("/api/v1/advisories?verdict=missing,delayed&major=8&sort=id&page=2");
    expect(buildEndpointUrl(listPollRunsEndpoint, { query: PollRunsQuery.parse({ source: "git.centos.org" }) })).toBe(
      "/api/v1/poll-runs?source=git.centos.org",
    );
  });

  it("refuses a path without its parameter", () => {
    expect(() => buildEndpointUrl(getAdvisoryEndpoint, {})).toThrow(/id/);
  });
});

describe("endpointQueryOptions", () => {
  afterEach(() => void vi.unstubAllGlobals());

  it("gives the page's prefetch and the hook one key per endpoint and request", () => {
    const query = AdvisoryListQuery.parse({ pageSize: 20 });
    expect(endpointQueryOptions(listAdvisoriesEndpoint, { query }).queryKey).toEqual(endpointQueryKey(listAdvisoriesEndpoint, { query }));
    expect(endpointQueryKey(listAdvisoriesEndpoint, { query })).not.toEqual(
      endpointQueryKey(listAdvisoriesEndpoint, { query: { ...query, page: 2 } }),
    );
    expect(endpointQueryKey(getMirrorHistoryEndpoint, { params: { id: "a" }, query: { bucket: "week" } })).not.toEqual(
      endpointQueryKey(getMirrorHistoryEndpoint, { params: { id: "b" }, query: { bucket: "week" } }),
    );
  });

  it("fetches the endpoint's URL with the query's AbortSignal and parses the answer with its response schema", async () => {
    const answer = { now: "2023-06-10T00:00:00.000Z", bucket: "month", mirror: {} };
    const fetchMock = stubFetch(200, answer);
    const signal = new AbortController().signal;
    await expect(
      runQuery(endpointQueryOptions(getMirrorHistoryEndpoint, { params: { id: "git.centos.org" }, query: { bucket: "month" } }), signal),
    ).rejects.toMatchObject({
      name: "ApiRequestError",
      code: "invalid_response",
    });
    expect(fetchMock).toHaveBeenCalledWith("/api/v1/mirrors/git.centos.org?bucket=month", expect.objectContaining({ signal }));
  });

  it("turns an error answer into an ApiRequestError with the server's code and message", async () => {
    stubFetch(400, { error: { code: "bad_request", message: 'Invalid query parameter "major"' } });
    const error = await runQuery(endpointQueryOptions(getSummaryEndpoint)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiRequestError);
    expect(error).toMatchObject({ httpStatus: 400, code: "bad_request", message: 'Invalid query parameter "major"' });
  });

  it("names the status when an error answer has no ApiErrorBody", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => new Response("<html>bad gateway</html>", { status: 502, statusText: "Bad Gateway" })),
    );
    await expect(runQuery(endpointQueryOptions(getSummaryEndpoint))).rejects.toMatchObject({
      httpStatus: 502,
      code: "http",
      message: "502 Bad Gateway",
    });
  });

  it("returns the answer as its schema gives it", async () => {
    stubFetch(200, { openapi: "3.1.0", paths: {} });
    await expect(runQuery(endpointQueryOptions(getOpenApiDocumentEndpoint))).resolves.toEqual({ openapi: "3.1.0", paths: {} });
  });
});
