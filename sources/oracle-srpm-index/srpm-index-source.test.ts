import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SrpmIndexMirrorConfig } from "../../core/config";
import { createHttpClient } from "../http/create-http-client";
import type { MirrorPollResult } from "../source-contracts";
import { startFileServer, type FileServer } from "../yum-repo/test-support/start-file-server";
import { APACHE_INDEX } from "./test-support/index-page-fixtures";
import { readSrpmIndexState, srpmIndexSource } from "./srpm-index-source";

let server: FileServer;
beforeAll(async () => {
  server = await startFileServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.files.clear();
  server.hits.clear();
});

function createMirror(majors = [8]): SrpmIndexMirrorConfig {
  return SrpmIndexMirrorConfig.parse({
    id: "oracle",
    kind: "srpm-index",
    name: "oss.oracle.com",
    majors,
    indexUrlTemplate: `${server.url}/ol{major}/SRPMS-updates/`,
  });
}

async function poll(mirror: SrpmIndexMirrorConfig, state: unknown = srpmIndexSource.initialState) {
  const http = createHttpClient({
    userAgent: "srcwatch-test",
    timeoutMs: 5000,
    maxResponseBytes: 1024 * 1024,
    retries: 0,
    perHostMinIntervalMs: 0,
    concurrency: 4,
    allowedHosts: [new URL(server.url).host],
    allowPrivateNetwork: true,
  });
  return { result: await srpmIndexSource.poll({ http, mirror, openPackages: new Map(), storedEvidence: new Map(), state }), http };
}

function expectOk(result: MirrorPollResult): Extract<MirrorPollResult, { ok: true }> {
  if (!result.ok) throw new Error(`${result.error.kind}: ${result.error.message}`);
  return result;
}

describe("srpmIndexSource", () => {
  it("builds each link from the configured index URL, whatever host or scheme the page's href names", async () => {
    const hostile = APACHE_INDEX.replace(
      'href="kernel-4.18.0-477.27.1.0.1.el8_8.src.rpm"',
      'href="https://evil.example/ol8/kernel-4.18.0-477.27.1.0.1.el8_8.src.rpm"',
    ).replace('href="openssl-1.1.1k-9.el8_7.src.rpm"', 'href="javascript:alert(1)//openssl-1.1.1k-9.el8_7.src.rpm"');
    server.put("/ol8/SRPMS-updates/", hostile, "text/html");
    const ok = expectOk((await poll(createMirror())).result);
    expect(ok.builds.map((build) => build.url)).toEqual([
      `${server.url}/ol8/SRPMS-updates/389-ds-base-1.4.3.35-1.module%2Bel8.8.0%2B21037%2B8ee66348.src.rpm`,
      `${server.url}/ol8/SRPMS-updates/kernel-4.18.0-477.27.1.0.1.el8_8.src.rpm`,
      `${server.url}/ol8/SRPMS-updates/openssl-1.1.1k-9.el8_7.src.rpm`,
    ]);
  });

  it("returns every SRPM of the index as srpm evidence with its link and listed time", async () => {
    server.put("/ol8/SRPMS-updates/", APACHE_INDEX, "text/html");
    const ok = expectOk((await poll(createMirror())).result);
    expect(ok.failures).toEqual([]);
    expect(ok.builds).toHaveLength(3);
    expect(ok.builds[0]).toEqual({
      evidenceKind: "srpm",
      name: "389-ds-base",
      epoch: null,
      version: "1.4.3.35",
      release: "1.module+el8.8.0+21037+8ee66348",
      major: 8,
      moduleStream: null,
      ref: "389-ds-base-1.4.3.35-1.module+el8.8.0+21037+8ee66348.src.rpm",
      url: `${server.url}/ol8/SRPMS-updates/389-ds-base-1.4.3.35-1.module%2Bel8.8.0%2B21037%2B8ee66348.src.rpm`,
      commitSha: null,
      publishedAt: new Date("2023-05-22T18:09:00Z"),
      publishedAtOrigin: "index_date",
    });
    expect(ok.builds[1]).toMatchObject({ name: "kernel", version: "4.18.0", release: "477.27.1.0.1.el8_8" });
    expect(readSrpmIndexState(ok.state).indexes[`${server.url}/ol8/SRPMS-updates/`].etag).toMatch(/^"/);
  });

  it("gives no time and no origin to an SRPM whose index row has no date column", async () => {
    server.put(
      "/ol8/SRPMS-updates/",
      `<html><head><title>Index of /ol8/SRPMS-updates</title></head><body><ul><li><a href="zlib-1.2.11-40.el8.src.rpm">zlib</a></li></ul></body></html>`,
      "text/html",
    );
    const ok = expectOk((await poll(createMirror())).result);
    expect(ok.builds).toEqual([expect.objectContaining({ name: "zlib", publishedAt: null, publishedAtOrigin: null })]);
  });

  it("reports nothing new when the index answers 304", async () => {
    server.put("/ol8/SRPMS-updates/", APACHE_INDEX, "text/html");
    const first = expectOk((await poll(createMirror())).result);
    const second = await poll(createMirror(), first.state);
    expect(expectOk(second.result)).toEqual({ ok: true, builds: [], failures: [], state: first.state });
    expect(second.http.stats).toMatchObject({ requests: 1, notModified: 1 });
  });

  it("reports a link that is not a source RPM name as a failed item", async () => {
    server.put("/ol8/SRPMS-updates/", APACHE_INDEX.replace('openssl-1.1.1k-9.el8_7.src.rpm"', 'openssl.src.rpm"'), "text/html");
    const ok = expectOk((await poll(createMirror())).result);
    expect(ok.builds).toHaveLength(2);
    expect(ok.failures).toEqual([{ item: "openssl.src.rpm", error: expect.objectContaining({ kind: "invalid_data" }) }]);
  });

  it("goes on with the other majors when one index is a maintenance page, and fails when all are", async () => {
    server.put("/ol8/SRPMS-updates/", "<html><head><title>Maintenance</title></head><body>soon</body></html>", "text/html");
    server.put("/ol9/SRPMS-updates/", APACHE_INDEX.replaceAll("ol8", "ol9").replace("el8_8", "el9_2"), "text/html");
    const ok = expectOk((await poll(createMirror([8, 9]))).result);
    expect(ok.builds.length).toBe(3);
    expect(ok.failures).toEqual([{ item: `${server.url}/ol8/SRPMS-updates/`, error: expect.objectContaining({ kind: "parse" }) }]);
    expect(Object.keys(readSrpmIndexState(ok.state).indexes)).toEqual([`${server.url}/ol9/SRPMS-updates/`]);

    const { result } = await poll(createMirror([8]));
    expect(result).toEqual({
      ok: false,
      error: expect.objectContaining({ kind: "parse", message: expect.stringMatching(/not a directory index/) }),
    });
  });
});
