import { readFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { UpdateinfoUpstreamConfig } from "../../core/config";
import type { UpstreamSyncResult } from "../source-contracts";
import { samplePath } from "../../test/samples/path";
import { createHttpClient } from "../http/create-http-client";
import { parseUpdateinfo } from "./parse-updateinfo";
import { publishFixtureRepo } from "./test-support/publish-fixture-repo";
import type { FixtureUpdate } from "./test-support/render-repo-metadata";
import { startFileServer, type FileServer } from "./test-support/start-file-server";
import { mapUpdateToAdvisory, readUpdateinfoUpstreamState, updateinfoUpstreamSource } from "./updateinfo-upstream-source";

async function readSampleUpdates(...parts: string[]) {
  const result = await parseUpdateinfo(readFileSync(samplePath(...parts)));
  if (!result.ok) throw new Error(result.error.message);
  return result.updates;
}

describe("mapUpdateToAdvisory", () => {
  const root9 = { url: "https://dl.rockylinux.org/pub/rocky/9/BaseOS/x86_64/os/", major: 9 };
  const links = {
    advisoryUrlTemplate: "https://access.redhat.com/errata/{id}",
    advisoryLinkHosts: ["errata.rockylinux.org", "errata.almalinux.org"],
  };

  it("maps a security update to an advisory with its CVEs, errata link and source packages for the repository's major", async () => {
    const [update] = await readSampleUpdates("yum", "rocky", "updateinfo.9-BaseOS.FIXTURE.xml");
    expect(mapUpdateToAdvisory(update, root9, links)).toEqual({
      ok: true,
      advisory: {
        id: "RLSA-2022:7513",
        type: "security",
        severity: "Important",
        title: "Important: xz security update",
        issuedAt: new Date("2022-11-08T09:19:42Z"),
        updatedAt: new Date("2023-02-02T12:53:50Z"),
        url: "https://errata.rockylinux.org/RLSA-2022:7513",
        cves: ["CVE-2022-1271"],
        packages: [
          { name: "xz", epoch: 0, version: "5.2.5", release: "8.el9_0", major: 9, stream: "main", minor: null, moduleStream: null },
        ],
      },
    });
  });

  it("reads the real Apollo file (dates as element text, no package list) and a severity of None as unknown", async () => {
    const [apollo] = await readSampleUpdates("yum", "rocky", "updateinfo.apollo-generated.rocky8.xml");
    const mapped = mapUpdateToAdvisory(apollo, { url: "https://r/8/", major: 8 }, links);
    expect(mapped.ok && mapped.advisory).toMatchObject({
      issuedAt: new Date("2022-05-10T08:02:50Z"),
      packages: [],
      cves: expect.arrayContaining(["CVE-2022-0391"]),
    });
    const [, curl] = await readSampleUpdates("yum", "rocky", "updateinfo.9-BaseOS.FIXTURE.xml");
    const mappedCurl = mapUpdateToAdvisory(curl, root9, links);
    expect(mappedCurl.ok && mappedCurl.advisory).toMatchObject({ type: "bugfix", severity: null });
  });

  it("keeps AlmaLinux's epoch and its own errata page as the link", async () => {
    const [update] = await readSampleUpdates("yum", "almalinux", "updateinfo.9-AppStream.FIXTURE.xml");
    const mapped = mapUpdateToAdvisory(update, root9, links);
    expect(mapped.ok && mapped.advisory).toMatchObject({
      url: "https://errata.almalinux.org/9/ALSA-2023-7549.html",
      packages: [expect.objectContaining({ name: "nodejs", epoch: 1 })],
    });
  });

  it("builds the link from the template when the update's own link is not https on an allowed host", async () => {
    const [update] = await readSampleUpdates("yum", "rocky", "updateinfo.9-BaseOS.FIXTURE.xml");
    const hostile = {
      ...update,
      references: [{ type: "self", id: update.id, href: "javascript:alert(document.domain)//errata/", title: null }],
    };
    expect(mapUpdateToAdvisory(hostile, root9, links)).toMatchObject({
      ok: true,
      advisory: { url: "https://access.redhat.com/errata/RLSA-2022:7513" },
      refusedUrl: "javascript:alert(document.domain)//errata/",
    });
    const elsewhere = mapUpdateToAdvisory(update, root9, { ...links, advisoryLinkHosts: ["access.redhat.com"] });
    expect(elsewhere).toMatchObject({
      advisory: { url: "https://access.redhat.com/errata/RLSA-2022:7513" },
      refusedUrl: "https://errata.rockylinux.org/RLSA-2022:7513",
    });
  });

  it("refuses an update type it does not know", async () => {
    const [update] = await readSampleUpdates("yum", "rocky", "updateinfo.9-BaseOS.FIXTURE.xml");
    expect(mapUpdateToAdvisory({ ...update, type: "mystery" }, root9, links)).toEqual({
      ok: false,
      message: "unknown update type (7 characters)",
    });
  });
});

describe("updateinfoUpstreamSource", () => {
  let server: FileServer;
  beforeAll(async () => {
    server = await startFileServer();
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.files.clear();
    server.hits.clear();
  });

  const openssl = { name: "openssl", arch: "src", epoch: 1, version: "3.0.7", release: "16.el9_2" };
  const opensslBinary = {
    name: "openssl-libs",
    arch: "x86_64",
    epoch: 1,
    version: "3.0.7",
    release: "16.el9_2",
    src: "openssl-3.0.7-16.el9_2.src.rpm",
  };
  const baseosUpdates: FixtureUpdate[] = [
    { id: "RHSA-2023:3722", issued: "2023-06-20 14:03:11", cves: ["CVE-2023-0464"], packages: [openssl, opensslBinary] },
    { id: "RHSA-2023:1000", issued: "2023-03-01 10:00:00", packages: [{ name: "old", arch: "src", version: "1", release: "1.el9" }] },
    {
      id: "RHBA-2023:3800",
      type: "bugfix",
      issued: "2023-06-22 10:00:00",
      packages: [{ name: "tzdata", arch: "noarch", version: "2023c", release: "1.el9", src: "tzdata-2023c-1.el9.src.rpm" }],
    },
  ];
  const appstreamUpdates: FixtureUpdate[] = [
    {
      id: "RHSA-2023:3722",
      issued: "2023-06-20 14:03:11",
      cves: ["CVE-2023-0465"],
      packages: [
        { name: "openssl-perl", arch: "x86_64", epoch: 1, version: "3.0.7", release: "16.el9_2", src: "openssl-3.0.7-16.el9_2.src.rpm" },
        { name: "edk2", arch: "src", version: "20221207gitfff6d81270b5", release: "9.el9_2" },
      ],
    },
  ];
  const baseos = (major: number) => `/rhel${major}/baseos/`;
  const appstream = (major: number) => `/rhel${major}/appstream/`;

  function createUpstream(majors = [9]): UpdateinfoUpstreamConfig {
    return UpdateinfoUpstreamConfig.parse({
      id: "rhel-updateinfo",
      kind: "updateinfo",
      name: "RHEL updateinfo",
      startDate: "2023-06-01",
      majors,
      repoUrlTemplates: [`${server.url}/rhel{major}/baseos/`, `${server.url}/rhel{major}/appstream`],
    });
  }

  async function sync(upstream: UpdateinfoUpstreamConfig, state: unknown = updateinfoUpstreamSource.initialState) {
    const http = createHttpClient({
      userAgent: "srcwatch-test",
      timeoutMs: 5000,
      maxResponseBytes: 5 * 1024 * 1024,
      retries: 0,
      perHostMinIntervalMs: 0,
      concurrency: 4,
      allowedHosts: [new URL(server.url).host],
      allowPrivateNetwork: true,
    });
    return { result: await updateinfoUpstreamSource.sync({ http, upstream, state }), http };
  }

  function expectOk(result: UpstreamSyncResult): Extract<UpstreamSyncResult, { ok: true }> {
    if (!result.ok) throw new Error(`${result.error.kind}: ${result.error.message}`);
    return result;
  }

  it("returns each advisory once with the source packages of all its repositories, from the start date on", async () => {
    publishFixtureRepo(server, baseos(9), { packages: [], updates: baseosUpdates });
    publishFixtureRepo(server, appstream(9), { packages: [], updates: appstreamUpdates });
    const ok = expectOk((await sync(createUpstream())).result);
    expect(ok).toMatchObject({ notModified: false, deletedIds: [], failures: [] });
    expect(ok.advisories.map((advisory) => advisory.id)).toEqual(["RHSA-2023:3722", "RHBA-2023:3800"]);
    const [rhsa, rhba] = ok.advisories;
    expect(rhsa.cves).toEqual(["CVE-2023-0464", "CVE-2023-0465"]);
    expect(rhsa.url).toBe("https://access.redhat.com/errata/RHSA-2023:3722");
    expect(ok.refusedLinks).toContainEqual({
      item: `${server.url}/rhel9/baseos/#RHSA-2023:3722`,
      url: "https://linux.oracle.com/errata/RHSA-2023:3722.html",
    });
    expect(rhsa.packages.map((pkg) => `${pkg.name}-${pkg.epoch}:${pkg.version}-${pkg.release}/${pkg.major}/${pkg.stream}`)).toEqual([
      "openssl-1:3.0.7-16.el9_2/9/main",
      "edk2-0:20221207gitfff6d81270b5-9.el9_2/9/main",
    ]);
    expect(rhba).toMatchObject({ type: "bugfix", packages: [expect.objectContaining({ name: "tzdata", version: "2023c" })] });
  });

  it("reports nothing new and fetches no updateinfo when repomd.xml answers 304 or its checksum did not change", async () => {
    const paths = [
      publishFixtureRepo(server, baseos(9), { packages: [], updates: baseosUpdates }),
      publishFixtureRepo(server, appstream(9), { packages: [], updates: appstreamUpdates }),
    ];
    const first = expectOk((await sync(createUpstream())).result);
    const second = await sync(createUpstream(), first.state);
    expect(expectOk(second.result)).toMatchObject({ notModified: true, advisories: [], failures: [] });
    expect(second.http.stats).toMatchObject({ requests: 2, notModified: 2 });

    publishFixtureRepo(server, appstream(9), { packages: [], updates: appstreamUpdates, revision: "2" });
    const third = await sync(createUpstream(), expectOk(second.result).state);
    expect(expectOk(third.result)).toMatchObject({ notModified: true, advisories: [] });
    expect(paths.map((path) => server.hits.get(path.updateinfoPath!))).toEqual([1, 1]);
  });

  it("reads every repository again when one updateinfo changed, so advisories stay whole", async () => {
    publishFixtureRepo(server, baseos(9), { packages: [], updates: baseosUpdates });
    publishFixtureRepo(server, appstream(9), { packages: [], updates: appstreamUpdates });
    const first = expectOk((await sync(createUpstream())).result);
    publishFixtureRepo(server, baseos(9), {
      packages: [],
      updates: [...baseosUpdates, { id: "RHSA-2023:4000", issued: "2023-07-01 08:00:00", packages: [openssl] }],
    });
    const ok = expectOk((await sync(createUpstream(), first.state)).result);
    expect(ok.advisories.map((advisory) => advisory.id)).toEqual(["RHSA-2023:3722", "RHBA-2023:3800", "RHSA-2023:4000"]);
    expect(ok.advisories[0].packages).toHaveLength(2);
    expect(Object.values(readUpdateinfoUpstreamState(ok.state).repos).every((repo) => repo.updateinfoChecksum !== null)).toBe(true);
  });

  it("withholds every advisory while one repository cannot be read, and keeps the state so that all is retried", async () => {
    publishFixtureRepo(server, baseos(9), { packages: [], updates: baseosUpdates });
    const { result } = await sync(createUpstream());
    const ok = expectOk(result);
    expect(ok).toMatchObject({ notModified: false, advisories: [], state: { repos: {} } });
    expect(ok.failures).toEqual([
      { path: `${server.url}/rhel9/appstream/`, error: expect.objectContaining({ kind: "http", status: 404 }) },
    ]);
  });

  it("fails the poll when no repository can be read", async () => {
    server.put(`${baseos(9)}repodata/repomd.xml`, "<!DOCTYPE html><html><body>maintenance</body></html>", "text/html");
    const { result } = await sync(createUpstream());
    expect(result).toEqual({
      ok: false,
      state: { repos: {} },
      error: expect.objectContaining({ kind: "parse", message: expect.stringMatching(/HTML page/) }),
    });
  });

  it("reports an update it cannot map as a failed item and returns the others", async () => {
    publishFixtureRepo(server, baseos(9), {
      packages: [],
      updates: [...baseosUpdates, { id: "RHXA-2023:1", type: "mystery", issued: "2023-06-30", packages: [] }],
    });
    publishFixtureRepo(server, appstream(9), { packages: [], updates: [] });
    const ok = expectOk((await sync(createUpstream())).result);
    expect(ok.advisories).toHaveLength(2);
    expect(ok.failures).toEqual([
      { path: `${server.url}/rhel9/baseos/#RHXA-2023:1`, error: expect.objectContaining({ kind: "invalid_data" }) },
    ]);
  });
});
