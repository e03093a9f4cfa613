import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CsafFeedConfig } from "../../core/config";
import type { UpstreamAdvisory } from "../../core/types";
import { buildCsafArchive } from "../../simulator/csaf/build-csaf-archive";
import { buildCsafDocument, getCsafDocumentPath } from "../../simulator/csaf/build-csaf-document";
import { createCsafFeed } from "../../simulator/csaf/create-csaf-feed";
import { createManualClock } from "../../simulator/scenario-clock";
import { createJune2023Timeline } from "../../simulator/scenarios/june-2023";
import { createHttpClient } from "../http/create-http-client";
import { EMPTY_CSAF_FEED_STATE, syncCsafFeed } from "./sync-csaf";

const timeline = createJune2023Timeline();
const clock = createManualClock(new Date("2023-07-19T12:00:00Z"));
const feed = createCsafFeed({ timeline, clock });
/** Answers that replace the feed's, by path under the feed directory. */
const overrides = new Map<string, (response: http.ServerResponse) => void>();
let requested: string[] = [];
let server: http.Server;
let baseUrl: string;
let host: string;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const relativePath = decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname).replace(/^\/csaf\//, "");
    requested.push(relativePath);
    const override = overrides.get(relativePath);
    if (override) return override(response);
    feed.handle(request, response, relativePath, null);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  baseUrl = `http://${host}/csaf/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  clock.set(new Date("2023-07-19T12:00:00Z"));
  overrides.clear();
  requested = [];
});

function feedConfig(archive: Record<string, unknown> | null) {
  return CsafFeedConfig.parse({
    id: "redhat-csaf",
    kind: "csaf",
    name: "Red Hat CSAF",
    baseUrl,
    startDate: "2023-01-01",
    majors: [8, 9],
    concurrency: 8,
    archive,
  });
}

const client = () =>
  createHttpClient({
    userAgent: "srcwatch-test/1",
    timeoutMs: 10_000,
    maxResponseBytes: 20 * 1024 * 1024,
    retries: 0,
    perHostMinIntervalMs: 0,
    concurrency: 8,
    allowedHosts: [host],
    allowPrivateNetwork: true,
  });

const byId = (advisories: UpstreamAdvisory[]) => [...advisories].sort((a, b) => a.id.localeCompare(b.id));
const documentsRequested = () => requested.filter((path) => /^\d{4}\//.test(path));
const releasedBefore = (iso: string) => timeline.releases.filter((release) => release.releasedAt.getTime() < Date.parse(iso));

/** The feed's first sync one document at a time: what the archive must reproduce. */
async function syncWithoutArchive() {
  const result = await syncCsafFeed({ http: client(), feed: feedConfig(null), state: EMPTY_CSAF_FEED_STATE });
  requested = [];
  if (!result.ok) throw new Error(result.error.message);
  return result;
}

describe("a first CSAF sync from Red Hat's archive", () => {
  it("reads the archive archive_latest.txt names and fetches only what changed since the day before it", async () => {
    const expected = await syncWithoutArchive();
    const released = releasedBefore("2023-07-19T12:00:00Z").length;
    expect(documentsRequested()).toEqual([]);

    const result = await syncCsafFeed({ http: client(), feed: feedConfig({ minDocuments: 1 }), state: EMPTY_CSAF_FEED_STATE });
    if (!result.ok) throw new Error(result.error.message);

    const inArchive = releasedBefore("2023-07-19T00:00:00Z").length;
    const sinceDayBefore = released - releasedBefore("2023-07-18T00:00:00Z").length;
    expect(requested.filter((path) => !/^\d{4}\//.test(path))).toEqual([
      "changes.csv",
      "archive_latest.txt",
      "csaf_advisories_2023-07-19.tar.zst",
      "deletions.csv",
    ]);
    expect(documentsRequested()).toHaveLength(sinceDayBefore);
    expect(sinceDayBefore).toBeGreaterThan(0);
    expect(sinceDayBefore).toBeLessThan(released / 10);
    expect(result.notes).toEqual([`first sync from csaf_advisories_2023-07-19.tar.zst: ${inArchive} documents read from it`]);
    expect(result.failures).toEqual([]);
    expect(byId(result.advisories)).toEqual(byId(expected.advisories));
    expect(result.advisories.length).toBeGreaterThan(released / 2); // the others have no RHEL 8 or 9 package
    expect(result.state).toEqual(expected.state);

    // The next poll goes on from the cursor: no archive again, only what is new.
    clock.set(new Date("2023-07-25T12:00:00Z"));
    requested = [];
    const next = await syncCsafFeed({ http: client(), feed: feedConfig({ minDocuments: 1 }), state: result.state });
    if (!next.ok) throw new Error(next.error.message);
    expect(requested).not.toContain("archive_latest.txt");
    const newlyReleased = releasedBefore("2023-07-25T12:00:00Z").length - released;
    expect(documentsRequested()).toHaveLength(newlyReleased);
    const newIds = new Set(timeline.releases.slice(released, released + newlyReleased).map((release) => release.advisoryId));
    expect(next.advisories.length).toBeGreaterThan(0);
    expect(next.advisories.every((advisory) => newIds.has(advisory.id))).toBe(true);
  });

  it("does not ask for the archive when fewer documents than minDocuments are to be fetched", async () => {
    const released = releasedBefore("2023-07-19T12:00:00Z").length;
    const result = await syncCsafFeed({ http: client(), feed: feedConfig({ minDocuments: released + 1 }), state: EMPTY_CSAF_FEED_STATE });
    expect(result.ok && result.notes).toEqual([]);
    expect(requested).not.toContain("archive_latest.txt");
    expect(documentsRequested()).toHaveLength(released);
  });

  it.each([
    {
      case: "archive_latest.txt is missing",
      path: "archive_latest.txt",
      answer: (response: http.ServerResponse) => response.writeHead(404).end("Not Found"),
      problem: "archive_latest.txt: HTTP 404 Not Found",
    },
    {
      case: "archive_latest.txt names something else",
      path: "archive_latest.txt",
      answer: (response: http.ServerResponse) => response.writeHead(200).end("../../../etc/passwd\n"),
      problem: "archive_latest.txt does not name a csaf_advisories_<date>.tar.zst",
    },
    {
      case: "the archive is an HTML error page",
      path: "csaf_advisories_2023-07-19.tar.zst",
      answer: (response: http.ServerResponse) =>
        response.writeHead(200, { "content-type": "text/html" }).end("<html><body>Maintenance</body></html>"),
      problem: "the archive: cannot decompress: invalid zstd data",
    },
    {
      case: "the archive breaks off",
      path: "csaf_advisories_2023-07-19.tar.zst",
      answer: (response: http.ServerResponse) => {
        response.writeHead(200, { "content-length": "1000000" });
        response.write(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]));
        setTimeout(() => response.destroy(), 10);
      },
      problem: "csaf_advisories_2023-07-19.tar.zst: ",
    },
  ])("falls back to one request per document when $case, and says why", async ({ path, answer, problem }) => {
    const expected = await syncWithoutArchive();
    overrides.set(path, answer);
    const result = await syncCsafFeed({ http: client(), feed: feedConfig({ minDocuments: 1 }), state: EMPTY_CSAF_FEED_STATE });
    if (!result.ok) throw new Error(result.error.message);
    const released = releasedBefore("2023-07-19T12:00:00Z").length;
    expect(result.notes).toHaveLength(1);
    expect(result.notes[0]).toContain(`first sync without the archive (${problem}`);
    expect(result.notes[0]).toMatch(new RegExp(`: ${released} documents fetched one by one$`));
    expect(documentsRequested()).toHaveLength(released);
    expect(byId(result.advisories)).toEqual(byId(expected.advisories));
    expect(result.state).toEqual(expected.state);
    expect(requested).not.toContain("../../../etc/passwd");
  });

  it("fetches on its own a document the archive holds broken, and reports it when the fetch fails too", async () => {
    const inArchive = releasedBefore("2023-07-19T00:00:00Z");
    const [broken, oversized] = [inArchive[10], inArchive[20]];
    const files = inArchive.map((release) => {
      const body = Buffer.from(`${JSON.stringify(buildCsafDocument(release), null, 2)}\n`);
      return {
        path: getCsafDocumentPath(release.advisoryId),
        body:
          release === broken
            ? body.subarray(0, 100)
            : release === oversized
              ? Buffer.concat([body, Buffer.alloc(2 * 1024 * 1024, 32)])
              : body,
        mtime: release.releasedAt,
      };
    });
    const archive = await buildCsafArchive(files);
    overrides.set("csaf_advisories_2023-07-19.tar.zst", (response) => response.writeHead(200).end(archive));
    const oversizedPath = getCsafDocumentPath(oversized.advisoryId);
    overrides.set(oversizedPath, (response) => response.writeHead(503).end());
    const feedWithCap = CsafFeedConfig.parse({ ...feedConfig({ minDocuments: 1 }), maxResponseBytes: 1024 * 1024 });

    const result = await syncCsafFeed({ http: client(), feed: feedWithCap, state: EMPTY_CSAF_FEED_STATE });
    if (!result.ok) throw new Error(result.error.message);
    expect(documentsRequested()).toEqual(expect.arrayContaining([getCsafDocumentPath(broken.advisoryId), oversizedPath]));
    expect(result.advisories.map((advisory) => advisory.id)).toContain(broken.advisoryId);
    expect(result.advisories.map((advisory) => advisory.id)).not.toContain(oversized.advisoryId);
    expect(result.failures).toEqual([{ path: oversizedPath, error: expect.objectContaining({ kind: "http", status: 503 }) }]);
    // The cursor stops before the document that failed, so that the next poll asks for it again.
    expect(Date.parse(result.state.cursor!)).toBeLessThan(oversized.releasedAt.getTime());
  });
});
