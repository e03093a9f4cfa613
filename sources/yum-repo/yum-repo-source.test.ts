import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { YumRepoMirrorConfig } from "../../core/config";
import { createHttpClient } from "../http/create-http-client";
import type { MirrorPollResult } from "../source-contracts";
import { compressFixture, renderPrimaryXml, renderRepomdXml, type FixturePackage } from "./test-support/render-repo-metadata";
import { publishFixtureRepo } from "./test-support/publish-fixture-repo";
import { startFileServer, type FileServer } from "./test-support/start-file-server";
import { readYumRepoState, yumRepoSource, type YumRepoState } from "./yum-repo-source";

let server: FileServer;

beforeAll(async () => {
  server = await startFileServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.files.clear();
  server.hits.clear();
});

const bash8: FixturePackage = { name: "bash", arch: "src", version: "4.4.20", release: "4.el8_6" };
const nodejs8: FixturePackage = { name: "nodejs", arch: "src", epoch: 1, version: "18.16.1", release: "1.module+el8.8.0+21058+a25e4a0b" };
const openssl8: FixturePackage = { name: "openssl", arch: "src", epoch: 1, version: "1.1.1k", release: "9.0.1.el8_8" };

function createMirror(templates = [`${server.url}/repo/OL{major}/baseos/latest/SRPMS/`], majors = [8]): YumRepoMirrorConfig {
  return YumRepoMirrorConfig.parse({ id: "oracle-yum", kind: "yum-repo", name: "yum.oracle.com", majors, repoUrlTemplates: templates });
}

function createClient() {
  return createHttpClient({
    userAgent: "srcwatch-test",
    timeoutMs: 5000,
    maxResponseBytes: 5 * 1024 * 1024,
    retries: 0,
    perHostMinIntervalMs: 0,
    concurrency: 4,
    allowedHosts: [new URL(server.url).host],
    allowPrivateNetwork: true,
  });
}

async function poll(mirror: YumRepoMirrorConfig, state: unknown = yumRepoSource.initialState, http = createClient()) {
  const result = await yumRepoSource.poll({ http, mirror, openPackages: new Map(), storedEvidence: new Map(), state });
  return { result, http };
}

function expectOk(result: MirrorPollResult): Extract<MirrorPollResult, { ok: true }> {
  if (!result.ok) throw new Error(`${result.error.kind}: ${result.error.message}`);
  return result;
}

const root8 = "/repo/OL8/baseos/latest/SRPMS/";

describe("yumRepoSource", () => {
  it("returns every SRPM of a source repository with its download link and the erratum's own time", async () => {
    publishFixtureRepo(server, root8, {
      packages: [bash8, nodejs8],
      updates: [
        {
          id: "ELSA-2023-3722",
          issued: "2023-06-20",
          updated: "2023-06-21 09:30:00",
          packages: [{ ...bash8, src: "bash-4.4.20-4.el8_6.src.rpm" }],
        },
        { id: "ELSA-2023-3800", issued: "2023-06-25 10:00:00", packages: [{ ...bash8, src: "bash-4.4.20-4.el8_6.src.rpm" }] },
        { id: "ELSA-2023-3900", issued: "2023-06-26 10:00:00", module: { name: "nodejs", stream: "18" }, packages: [nodejs8] },
      ],
    });
    const { result } = await poll(createMirror());
    const ok = expectOk(result);
    expect(ok.failures).toEqual([]);
    expect(ok.builds).toEqual([
      {
        evidenceKind: "srpm",
        name: "bash",
        epoch: 0,
        version: "4.4.20",
        release: "4.el8_6",
        major: 8,
        moduleStream: null,
        ref: `${server.url}${root8}#bash-4.4.20-4.el8_6.src.rpm`,
        url: `${server.url}${root8}Packages/b/bash-4.4.20-4.el8_6.src.rpm`,
        commitSha: null,
        publishedAt: new Date("2023-06-21T09:30:00Z"),
        publishedAtOrigin: "erratum_date",
      },
      expect.objectContaining({ name: "nodejs", epoch: 1, moduleStream: "nodejs:18", publishedAt: new Date("2023-06-26T10:00:00Z") }),
    ]);
    const state = readYumRepoState(ok.state);
    expect(state.repos[`${server.url}${root8}`]).toMatchObject({
      etag: expect.any(String),
      primaryChecksum: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it.each(["gz", "xz", "zst"] as const)("reads a %s-compressed primary", async (compression) => {
    publishFixtureRepo(server, root8, { packages: [bash8, openssl8], compression });
    const ok = expectOk((await poll(createMirror())).result);
    expect(ok.builds.map((build) => `${build.name}-${build.epoch}:${build.version}-${build.release}`)).toEqual([
      "bash-0:4.4.20-4.el8_6",
      "openssl-1:1.1.1k-9.0.1.el8_8",
    ]);
    expect(ok.builds.every((build) => build.publishedAt === null && build.publishedAtOrigin === null)).toBe(true);
  });

  it("derives source builds from a binary repository as package evidence", async () => {
    publishFixtureRepo(server, "/repo/OL9/appstream/x86_64/", {
      packages: [
        { name: "python3.11-libs", arch: "x86_64", version: "3.11.2", release: "2.el9_2", sourceRpm: "python3.11-3.11.2-2.el9_2.src.rpm" },
        { name: "python3.11", arch: "x86_64", version: "3.11.2", release: "2.el9_2", sourceRpm: "python3.11-3.11.2-2.el9_2.src.rpm" },
        {
          name: "kernel-uek",
          arch: "x86_64",
          version: "5.15.0",
          release: "101.103.2.1.el9uek",
          sourceRpm: "kernel-uek-5.15.0-101.103.2.1.el9uek.src.rpm",
        },
      ],
    });
    const ok = expectOk((await poll(createMirror([`${server.url}/repo/OL{major}/appstream/x86_64`], [9]))).result);
    expect(ok.builds).toEqual([
      expect.objectContaining({
        evidenceKind: "package",
        name: "python3.11",
        major: 9,
        url: `${server.url}/repo/OL9/appstream/x86_64/Packages/p/python3.11-3.11.2-2.el9_2.x86_64.rpm`,
        ref: `${server.url}/repo/OL9/appstream/x86_64/#python3.11-3.11.2-2.el9_2.src.rpm`,
      }),
      expect.objectContaining({ name: "kernel-uek", release: "101.103.2.1.el9uek", major: 9 }),
    ]);
  });

  it("does not download primary again when repomd.xml answers 304", async () => {
    const { primaryPath } = publishFixtureRepo(server, root8, { packages: [bash8] });
    const first = expectOk((await poll(createMirror())).result);
    const { result, http } = await poll(createMirror(), first.state);
    expect(expectOk(result)).toMatchObject({ builds: [], failures: [] });
    expect(http.stats).toMatchObject({ requests: 1, notModified: 1 });
    expect(server.hits.get(primaryPath)).toBe(1);
    expect(expectOk(result).state).toEqual(first.state);
  });

  it("does not download primary again when repomd.xml changed but the checksums did not", async () => {
    const { primaryPath, updateinfoPath } = publishFixtureRepo(server, root8, { packages: [bash8], updates: [], revision: "1" });
    const first = expectOk((await poll(createMirror())).result);
    publishFixtureRepo(server, root8, { packages: [bash8], updates: [], revision: "2" });
    const { result, http } = await poll(createMirror(), first.state);
    const ok = expectOk(result);
    expect(ok.builds).toEqual([]);
    expect(http.stats).toMatchObject({ requests: 1, notModified: 0 });
    expect([server.hits.get(primaryPath), server.hits.get(updateinfoPath!)]).toEqual([1, 1]);
    const before = readYumRepoState(first.state).repos[`${server.url}${root8}`];
    expect(readYumRepoState(ok.state).repos[`${server.url}${root8}`]).toEqual({ ...before, etag: expect.not.stringMatching(before.etag!) });
  });

  it("reads primary again when its checksum changed and returns the whole listing", async () => {
    publishFixtureRepo(server, root8, { packages: [bash8] });
    const first = expectOk((await poll(createMirror())).result);
    publishFixtureRepo(server, root8, { packages: [bash8, openssl8] });
    const ok = expectOk((await poll(createMirror(), first.state)).result);
    expect(ok.builds.map((build) => build.name)).toEqual(["bash", "openssl"]);
  });

  it("records a failing repository as a failure and reads the others", async () => {
    publishFixtureRepo(server, "/repo/OL9/baseos/latest/SRPMS/", {
      packages: [{ name: "bash", arch: "src", version: "5.1.8", release: "6.el9_1" }],
    });
    const ok = expectOk((await poll(createMirror(undefined, [8, 9]))).result);
    expect(ok.builds.map((build) => build.major)).toEqual([9]);
    expect(ok.failures).toEqual([{ item: `${server.url}${root8}`, error: expect.objectContaining({ kind: "http", status: 404 }) }]);
    expect(Object.keys(readYumRepoState(ok.state).repos)).toEqual([`${server.url}/repo/OL9/baseos/latest/SRPMS/`]);
  });

  it("fails the poll when every repository fails", async () => {
    const { result } = await poll(createMirror(undefined, [8, 9]));
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ kind: "http", status: 404 }) });
  });

  it("reports an HTML page served with 200 instead of primary as a parse error and reads it again next time", async () => {
    const { primaryPath } = publishFixtureRepo(server, root8, { packages: [bash8] });
    server.put(primaryPath, "<!DOCTYPE html><html><body><h1>We'll be back soon</h1></body></html>", "text/html");
    const first = await poll(createMirror(undefined, [8]));
    expect(first.result).toEqual({
      ok: false,
      error: expect.objectContaining({ kind: "parse", message: expect.stringMatching(/HTML page/) }),
    });

    publishFixtureRepo(server, root8, { packages: [bash8] });
    const second = expectOk((await poll(createMirror(), yumRepoSource.initialState)).result);
    expect(second.builds).toHaveLength(1);
  });

  it("returns no partial listing from a truncated primary whose checksum matches (a truncated upload)", async () => {
    publishFixtureRepo(server, "/repo/OL9/baseos/latest/SRPMS/", {
      packages: [{ name: "bash", arch: "src", version: "5.1.8", release: "6.el9_1" }],
    });
    const xml = renderPrimaryXml([bash8, nodejs8, openssl8]);
    const truncated = compressFixture(xml.slice(0, Math.floor(xml.length * 0.6)), "gz");
    server.put(`${root8}repodata/truncated-primary.xml.gz`, truncated);
    server.put(
      `${root8}repodata/repomd.xml`,
      renderRepomdXml("1", [{ type: "primary", href: "repodata/truncated-primary.xml.gz", body: truncated }]),
      "text/xml",
    );
    const ok = expectOk((await poll(createMirror(undefined, [8, 9]))).result);
    expect(ok.builds.map((build) => build.major)).toEqual([9]);
    expect(ok.failures).toEqual([
      { item: `${server.url}${root8}`, error: expect.objectContaining({ kind: "parse", message: expect.stringMatching(/truncated/) }) },
    ]);
    expect(readYumRepoState(ok.state).repos[`${server.url}${root8}`]).toBeUndefined();
  });

  it("returns no partial listing from a primary that does not match its checksum (a mirror caught mid-sync)", async () => {
    publishFixtureRepo(server, root8, {
      packages: [bash8, nodejs8, openssl8],
      corruptPrimary: (body) => body.subarray(0, body.length - 10),
    });
    const { result } = await poll(createMirror());
    expect(result).toEqual({
      ok: false,
      error: expect.objectContaining({ kind: "invalid_data", message: expect.stringMatching(/does not match repomd.xml/) }),
    });
  });

  it("still lists the builds when updateinfo cannot be read, and reads both again next poll", async () => {
    const { primaryPath, updateinfoPath } = publishFixtureRepo(server, root8, {
      packages: [bash8],
      updates: [{ id: "ELSA-2023-1", issued: "2023-06-20", packages: [bash8] }],
    });
    server.files.set(updateinfoPath!, { body: Buffer.from("oops"), contentType: "text/plain", status: 500 });
    const first = expectOk((await poll(createMirror())).result);
    expect(first.builds).toEqual([expect.objectContaining({ name: "bash", publishedAt: null, publishedAtOrigin: null })]);
    expect(first.failures).toEqual([
      { item: `${server.url}${root8}#updateinfo`, error: expect.objectContaining({ kind: "http", status: 500 }) },
    ]);

    const state = first.state as YumRepoState;
    expect(state.repos[`${server.url}${root8}`]).toMatchObject({ etag: null, updateinfoChecksum: null });
    server.files.delete(updateinfoPath!);
    publishFixtureRepo(server, root8, { packages: [bash8], updates: [{ id: "ELSA-2023-1", issued: "2023-06-20", packages: [bash8] }] });
    const second = expectOk((await poll(createMirror(), first.state)).result);
    expect(second.failures).toEqual([]);
    expect(second.builds).toEqual([
      expect.objectContaining({ publishedAt: new Date("2023-06-20T00:00:00Z"), publishedAtOrigin: "erratum_date" }),
    ]);
    expect(server.hits.get(primaryPath)).toBe(2);
  });
});
