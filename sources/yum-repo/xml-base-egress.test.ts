import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { YumRepoMirrorConfig } from "../../core/config";
import { createHttpClient } from "../http/create-http-client";
import { listSourceHosts } from "../http/list-source-hosts";
import type { MirrorPollResult } from "../source-contracts";
import { publishFixtureRepo } from "./test-support/publish-fixture-repo";
import { startFileServer, type FileServer } from "./test-support/start-file-server";
import { yumRepoSource } from "./yum-repo-source";

let mirrorServer: FileServer;
let elsewhere: FileServer;

beforeAll(async () => {
  mirrorServer = await startFileServer();
  elsewhere = await startFileServer();
});
afterAll(async () => {
  await mirrorServer.close();
  await elsewhere.close();
});
beforeEach(() => {
  for (const server of [mirrorServer, elsewhere]) {
    server.files.clear();
    server.hits.clear();
  }
});

const ROOT = "/repo/OL8/baseos/latest/SRPMS/";
const bash8 = { name: "bash", arch: "src", version: "4.4.20", release: "4.el8_6" };

/** The mirror's repomd.xml, its primary location given an `xml:base`; the files themselves sit on `filesServer`. */
function publishRepomdWithBase(xmlBase: string, filesServer: FileServer, filesRoot: string): void {
  publishFixtureRepo(filesServer, filesRoot, { packages: [bash8], compression: "none" });
  const repomd = filesServer.files.get(`${filesRoot}repodata/repomd.xml`)!.body.toString("utf8");
  mirrorServer.put(`${ROOT}repodata/repomd.xml`, repomd.replace('<location href="', `<location xml:base="${xmlBase}" href="`), "text/xml");
}

/** A client as the worker builds it: the mirror's own hosts; loopback allowed, since the test servers live there. */
async function poll(): Promise<{ result: MirrorPollResult; requests: number }> {
  const mirror = YumRepoMirrorConfig.parse({
    id: "yum",
    kind: "yum-repo",
    name: "yum",
    majors: [8],
    repoUrlTemplates: [`${mirrorServer.url}/repo/OL{major}/baseos/latest/SRPMS/`],
  });
  const http = createHttpClient({
    userAgent: "srcwatch-test",
    timeoutMs: 5000,
    maxResponseBytes: 5 * 1024 * 1024,
    retries: 0,
    perHostMinIntervalMs: 0,
    concurrency: 4,
    allowedHosts: listSourceHosts(mirror),
    allowPrivateNetwork: true,
  });
  const result = await yumRepoSource.poll({
    http,
    mirror,
    openPackages: new Map(),
    storedEvidence: new Map(),
    state: yumRepoSource.initialState,
  });
  return { result, requests: http.stats.requests };
}

function listErrorKinds(result: MirrorPollResult): string[] {
  return result.ok ? result.failures.map((failure) => failure.error.kind) : [result.error.kind];
}

describe("yumRepoSource with an xml:base in repomd.xml", () => {
  it("refuses an xml:base on another host and fetches no byte from it", async () => {
    publishRepomdWithBase(`${elsewhere.url}/mirror/`, elsewhere, "/mirror/");

    const { result, requests } = await poll();

    expect(listErrorKinds(result)).toEqual(["forbidden_destination"]);
    expect(result.ok || result.error.message).toMatch(/is not one of this source's hosts/);
    expect([...elsewhere.hits.values()].reduce((sum, hits) => sum + hits, 0)).toBe(0);
    expect(requests).toBe(1);
  });

  it("refuses an xml:base at the cloud metadata address before connecting", async () => {
    publishRepomdWithBase("http://169.254.169.254/latest/meta-data/", elsewhere, "/mirror/");

    const { result, requests } = await poll();

    expect(listErrorKinds(result)).toEqual(["forbidden_destination"]);
    expect(requests).toBe(1);
  });

  it("follows an xml:base on the mirror's own host", async () => {
    publishRepomdWithBase(`${mirrorServer.url}/mirror/`, mirrorServer, "/mirror/");

    const { result } = await poll();

    expect(listErrorKinds(result)).toEqual([]);
    expect(result.ok && result.builds.map((build) => build.name)).toEqual(["bash"]);
  });
});
