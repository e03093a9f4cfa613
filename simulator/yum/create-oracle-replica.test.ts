import { execFileSync } from "node:child_process";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SrpmIndexMirrorConfig, YumRepoMirrorConfig } from "../../core/config";
import { createHttpClient } from "../../sources/http/create-http-client";
import { srpmIndexSource } from "../../sources/oracle-srpm-index/srpm-index-source";
import { parseRepomd } from "../../sources/yum-repo/parse-repomd";
import { parseUpdateinfo } from "../../sources/yum-repo/parse-updateinfo";
import { yumRepoSource } from "../../sources/yum-repo/yum-repo-source";
import type { MirrorPollResult } from "../../sources/source-contracts";
import { createManualClock } from "../scenario-clock";
import { computeMirrorPublications } from "../scenarios/mirror-publications";
import { createJune2023Timeline } from "../scenarios/june-2023";
import { serveReplica } from "../serve-replica";
import { createOracleReplica, toOracleErratumId } from "./create-oracle-replica";
import { encodeXzStored } from "./encode-xz-stored";

const timeline = createJune2023Timeline();
const publications8 = computeMirrorPublications(timeline, "oracle").filter((publication) => publication.major === 8);
const clock = createManualClock(new Date("2023-06-01T00:00:00Z"));
let served: { url: string; close(): Promise<void> };

beforeAll(async () => {
  served = await serveReplica(createOracleReplica({ timeline, clock, basePath: "/oracle" }));
});
afterAll(() => served.close());

const createClient = () =>
  createHttpClient({
    userAgent: "srcwatch-test",
    timeoutMs: 5000,
    maxResponseBytes: 20 * 1024 * 1024,
    retries: 0,
    perHostMinIntervalMs: 0,
    concurrency: 4,
    allowedHosts: [new URL(served.url).host],
    allowPrivateNetwork: true,
  });
const countVisible = (now: Date) => publications8.filter((publication) => publication.publishedAt <= now).length;

function expectOk(result: MirrorPollResult): Extract<MirrorPollResult, { ok: true }> {
  if (!result.ok) throw new Error(`${result.error.kind}: ${result.error.message}`);
  return result;
}

async function get(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${served.url}${path}`, { headers, redirect: "manual" });
  return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
}

describe("createOracleReplica", () => {
  const repoRoot = "/oracle/repo/OracleLinux/OL8/baseos/latest/SRPMS/";

  it("lists in the SRPM index only the builds published by the clock's time, with their times", async () => {
    clock.set(new Date("2023-06-10T00:00:00Z"));
    const page = (await get("/oracle/ol8/SRPMS-updates/")).body.toString("utf8");
    const first = publications8[0];
    const links = [...page.matchAll(/<a href="([^"?/][^"]*\.src\.rpm)">/g)];
    expect(links.length).toBe(
      new Set(publications8.filter((publication) => publication.publishedAt <= clock.now()).map((publication) => publication.nvr)).size,
    );
    expect(page).toContain(
      `${first.nvr}.src.rpm</a></td><td align="right">${first.publishedAt.toISOString().slice(0, 16).replace("T", " ")}  </td>`,
    );
    const later = publications8.find((publication) => publication.publishedAt > clock.now())!;
    expect(page).not.toContain(`>${later.nvr}.src.rpm<`);

    clock.set(new Date(later.publishedAt.getTime() + 1000));
    expect((await get("/oracle/ol8/SRPMS-updates/")).body.toString("utf8")).toContain(`>${later.nvr}.src.rpm<`);
    expect((await get(`/oracle/ol8/SRPMS-updates/${encodeURIComponent(later.nvr)}.src.rpm`)).status).toBe(200);
  });

  it("answers 304 to a conditional GET until a new build appears, and redirects the index without its slash", async () => {
    clock.set(new Date("2023-06-10T00:00:00Z"));
    const first = await get("/oracle/ol8/SRPMS-updates/");
    const etag = first.headers.get("etag")!;
    expect(first.headers.get("last-modified")).toBe(publications8[countVisible(clock.now()) - 1].publishedAt.toUTCString());
    expect((await get("/oracle/ol8/SRPMS-updates/", { "if-none-match": etag })).status).toBe(304);
    expect((await get(`${repoRoot}repodata/repomd.xml`, { "if-modified-since": first.headers.get("last-modified")! })).status).toBe(304);
    const next = publications8[countVisible(clock.now())];
    clock.set(next.publishedAt);
    expect((await get("/oracle/ol8/SRPMS-updates/", { "if-none-match": etag })).status).toBe(200);
    expect(await get("/oracle/ol8/SRPMS-updates")).toMatchObject({ status: 301 });
    expect((await get("/oracle/ol7/SRPMS-updates/")).status).toBe(404);
  });

  it("serves a yum source repository whose repomd.xml checksums are those of the files served", async () => {
    clock.set(new Date("2023-06-15T00:00:00Z"));
    const repomd = parseRepomd((await get(`${repoRoot}repodata/repomd.xml`)).body.toString("utf8"));
    if (!repomd.ok) throw new Error(repomd.error.message);
    const latest = publications8[countVisible(clock.now()) - 1].publishedAt;
    expect(repomd.repomd.revision).toBe(String(Math.floor(latest.getTime() / 1000)));
    const { primary, updateinfo } = repomd.repomd.data;
    expect(primary.href).toMatch(/^repodata\/[0-9a-f]{64}-primary\.xml\.gz$/);
    expect(updateinfo.href).toMatch(/^repodata\/[0-9a-f]{64}-updateinfo\.xml\.xz$/);
    for (const data of [primary, updateinfo]) {
      const body = (await get(`${repoRoot}${data.href}`)).body;
      expect(execFileSync("sha256sum", { input: body }).toString().split(" ")[0]).toBe(data.checksum.value);
    }
    const updateinfoXml = execFileSync("xz", ["-dc"], { input: (await get(`${repoRoot}${updateinfo.href}`)).body });
    const parsed = await parseUpdateinfo(updateinfoXml);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const firstAdvisory = publications8[0].source.advisoryId;
    const elsa = parsed.updates.find((update) => update.id === toOracleErratumId(firstAdvisory))!;
    expect(elsa.id).toMatch(/^EL[SBE]A-2023-\d{4,}$/);
    expect(elsa.packages[0]).toMatchObject({ arch: "src", sourceRpm: `${publications8[0].nvr}.src.rpm` });
    expect(elsa.issuedAt).toEqual(new Date(Math.floor(publications8[0].publishedAt.getTime() / 1000) * 1000));
    expect(gunzipSync((await get(`${repoRoot}${primary.href}`)).body).toString("utf8")).toContain(
      `packages="${new Set(publications8.filter((publication) => publication.publishedAt <= clock.now()).map((publication) => publication.nvr)).size}"`,
    );
  });

  it("shows new builds to yumRepoSource over time and lets it skip primary while nothing changed", async () => {
    const mirror = YumRepoMirrorConfig.parse({
      id: "oracle-yum",
      kind: "yum-repo",
      name: "Oracle yum",
      majors: [8],
      repoUrlTemplates: [`${served.url}/oracle/repo/OracleLinux/OL{major}/baseos/latest/SRPMS/`],
    });
    const poll = async (state: unknown) => {
      const http = createClient();
      return {
        result: expectOk(await yumRepoSource.poll({ http, mirror, openPackages: new Map(), storedEvidence: new Map(), state })),
        http,
      };
    };
    clock.set(new Date("2023-06-05T00:00:00Z"));
    const first = await poll(yumRepoSource.initialState);
    expect(first.result.failures).toEqual([]);
    const visible = publications8.filter((publication) => publication.publishedAt <= clock.now());
    expect(new Set(first.result.builds.map((build) => build.ref.split("#")[1]))).toEqual(
      new Set(visible.map((publication) => `${publication.nvr}.src.rpm`)),
    );
    const sample = first.result.builds.find((build) => build.name === visible[0].name && build.release === visible[0].release)!;
    expect(sample).toMatchObject({
      evidenceKind: "srpm",
      epoch: visible[0].epoch,
      major: 8,
      publishedAt: new Date(Math.floor(visible[0].publishedAt.getTime() / 1000) * 1000),
    });
    expect(sample.url).toMatch(/\/Packages\/.+\.src\.rpm$/);
    expect((await fetch(sample.url ?? "")).status).toBe(200);

    const unchanged = await poll(first.result.state);
    expect(unchanged.result.builds).toEqual([]);
    expect(unchanged.http.stats).toMatchObject({ requests: 1, notModified: 1 });

    clock.set(publications8[visible.length].publishedAt);
    const grown = await poll(unchanged.result.state);
    expect(grown.http.stats.requests).toBe(3);
    expect(grown.result.builds.map((build) => build.ref.split("#")[1])).toContain(`${publications8[visible.length].nvr}.src.rpm`);
  });

  it("shows new builds to srpmIndexSource over time, with 304 in between", async () => {
    const mirror = SrpmIndexMirrorConfig.parse({
      id: "oracle",
      kind: "srpm-index",
      name: "oss.oracle.com",
      majors: [8, 9],
      indexUrlTemplate: `${served.url}/oracle/ol{major}/SRPMS-updates/`,
    });
    clock.set(new Date("2023-06-05T00:00:00Z"));
    const first = expectOk(
      await srpmIndexSource.poll({
        http: createClient(),
        mirror,
        openPackages: new Map(),
        storedEvidence: new Map(),
        state: srpmIndexSource.initialState,
      }),
    );
    expect(first.failures).toEqual([]);
    expect(first.builds.filter((build) => build.major === 8)).toHaveLength(
      new Set(publications8.filter((publication) => publication.publishedAt <= clock.now()).map((publication) => publication.nvr)).size,
    );
    expect(first.builds.every((build) => build.publishedAt !== null && build.publishedAt <= clock.now())).toBe(true);

    const http = createClient();
    const second = expectOk(
      await srpmIndexSource.poll({ http, mirror, openPackages: new Map(), storedEvidence: new Map(), state: first.state }),
    );
    expect(second.builds).toEqual([]);
    expect(http.stats).toMatchObject({ requests: 2, notModified: 2 });
  });
});

describe("encodeXzStored", () => {
  it("writes .xz files that xz itself reads back", () => {
    for (const size of [0, 1, 65_536, 200_003]) {
      const data = Buffer.from(Array.from({ length: size }, (_, index) => (index * 31) % 251));
      expect(execFileSync("xz", ["-dc"], { input: encodeXzStored(data) }).equals(data)).toBe(true);
    }
  });
});
