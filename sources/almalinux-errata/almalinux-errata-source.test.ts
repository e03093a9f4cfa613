import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AlmaErrataMirrorConfig } from "../../core/config";
import { samplePath } from "../../test/samples/path";
import { createHttpClient } from "../http/create-http-client";
import { listSourceHosts } from "../http/list-source-hosts";
import { almalinuxErrataSource, EMPTY_ALMA_ERRATA_STATE, type AlmaErrataState } from "./almalinux-errata-source";

const realErrata = readFileSync(samplePath("almalinux", "errata.full.json"));
const LAST_MODIFIED = "Tue, 10 Jun 2025 08:00:00 GMT";

/** errata.almalinux.org on loopback: one file per major, strong ETag, Last-Modified, 304. */
class ErrataServer {
  files = new Map<string, Buffer | string>();
  requests: Array<{ path: string; status: number; ifNoneMatch: string | null; ifModifiedSince: string | null }> = [];
  private server = http.createServer((request, response) => {
    const path = request.url ?? "/";
    const body = this.files.get(path);
    const record = (status: number) =>
      this.requests.push({
        path,
        status,
        ifNoneMatch: request.headers["if-none-match"] ?? null,
        ifModifiedSince: request.headers["if-modified-since"] ?? null,
      });
    if (body === undefined) {
      record(404);
      return response.writeHead(404, { "content-type": "text/html" }).end("<html>Not Found</html>");
    }
    const etag = `"${createHash("sha1").update(body).digest("hex")}"`;
    if (request.headers["if-none-match"] === etag) {
      record(304);
      return response.writeHead(304, { etag, "last-modified": LAST_MODIFIED }).end();
    }
    record(200);
    response.writeHead(200, { etag, "last-modified": LAST_MODIFIED, "content-type": "application/json" }).end(body);
  });
  url = "";

  async start() {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop() {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const server = new ErrataServer();

function createMirror(overrides: Partial<AlmaErrataMirrorConfig> = {}): AlmaErrataMirrorConfig {
  return AlmaErrataMirrorConfig.parse({
    id: "almalinux",
    kind: "almalinux-errata",
    name: "AlmaLinux errata",
    majors: [8],
    errataUrlTemplate: `${server.url}/{major}/errata.full.json`,
    erratumWebUrlTemplate: "https://errata.almalinux.org/{major}/{idDash}.html",
    ...overrides,
  });
}

async function poll(mirror: AlmaErrataMirrorConfig, state: unknown = EMPTY_ALMA_ERRATA_STATE) {
  const client = createHttpClient({
    userAgent: "srcwatch-test",
    timeoutMs: 5000,
    maxResponseBytes: mirror.maxResponseBytes,
    retries: 0,
    perHostMinIntervalMs: 0,
    concurrency: 2,
    allowedHosts: listSourceHosts(mirror),
    allowPrivateNetwork: true,
  });
  return almalinuxErrataSource.poll({ http: client, mirror, openPackages: new Map(), storedEvidence: new Map(), state });
}

beforeAll(() => server.start());
afterAll(() => server.stop());
beforeEach(() => {
  server.files.clear();
  server.requests = [];
});

describe("almalinuxErrataSource", () => {
  it("turns every erratum's source packages into erratum evidence published at AlmaLinux's updated_date", async () => {
    server.files.set("/8/errata.full.json", realErrata);

    const result = await poll(createMirror());

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.failures).toEqual([]);
    expect(result.builds).toHaveLength(6);
    expect(result.builds[0]).toEqual({
      evidenceKind: "erratum",
      name: "pcsc-lite-ccid",
      epoch: 0,
      version: "1.4.29",
      release: "5.1.el8_4",
      major: 8,
      moduleStream: null,
      ref: "ALBA-2021:3049/pcsc-lite-ccid-1.4.29-5.1.el8_4",
      url: "https://errata.almalinux.org/8/ALBA-2021-3049.html",
      commitSha: null,
      publishedAt: new Date("2021-08-10T09:54:36.000Z"),
      publishedAtOrigin: "erratum_date",
    });
    expect(result.builds[2]).toMatchObject({
      ref: "ALSA-2019:3708/Judy-1.0.5-18.module_el8.5.0+2632+14ced695",
      moduleStream: "mariadb:10.3",
      publishedAt: new Date("2022-04-28T10:46:58.000Z"),
    });
    expect(new Set(result.builds.map((build) => build.ref)).size).toBe(6);
    expect(result.state).toEqual({ majors: { "8": { etag: expect.stringMatching(/^"[0-9a-f]{40}"$/), lastModified: LAST_MODIFIED } } });
  });

  it("sends the stored validators and returns no builds and the same state when the file did not change", async () => {
    server.files.set("/8/errata.full.json", realErrata);
    const first = await poll(createMirror());
    if (!first.ok) throw new Error("first poll failed");

    const second = await poll(createMirror(), first.state);

    expect(second).toEqual({ ok: true, builds: [], state: first.state, failures: [] });
    expect(server.requests[1]).toEqual({
      path: "/8/errata.full.json",
      status: 304,
      ifNoneMatch: (first.state as AlmaErrataState).majors["8"].etag,
      ifModifiedSince: LAST_MODIFIED,
    });
  });

  it("reports a file over maxResponseBytes as too_large, naming the setting to raise", async () => {
    server.files.set("/8/errata.full.json", realErrata);

    const result = await poll(createMirror({ maxResponseBytes: 4096 }));

    expect(result).toEqual({
      ok: false,
      error: {
        kind: "too_large",
        message: expect.stringMatching(
          /^AlmaLinux 8 errata\.full\.json is larger than maxResponseBytes \(4096 bytes\): raise maxResponseBytes/,
        ),
        url: `${server.url}/8/errata.full.json`,
      },
    });
  });

  it("keeps a major's validators when its file does not parse, so the next poll reads it again", async () => {
    server.files.set("/8/errata.full.json", realErrata);
    server.files.set("/9/errata.full.json", realErrata.subarray(0, 5000));
    const state: AlmaErrataState = { majors: { "9": { etag: '"old"', lastModified: null } } };

    const result = await poll(createMirror({ majors: [8, 9] }), state);

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.builds.map((build) => build.major)).toEqual([8, 8, 8, 8, 8, 8]);
    expect(result.failures).toEqual([
      {
        item: "9/errata.full.json",
        error: { kind: "parse", message: expect.stringContaining("not JSON"), url: `${server.url}/9/errata.full.json`, status: 200 },
      },
    ]);
    expect((result.state as AlmaErrataState).majors["9"]).toEqual({ etag: '"old"', lastModified: null });
  });

  it("fails the poll when no major can be read, with the kind of the first failure", async () => {
    server.files.set("/8/errata.full.json", "<!DOCTYPE html><html><body>Maintenance</body></html>");

    const result = await poll(createMirror({ majors: [8, 10] }));

    expect(result).toEqual({ ok: false, error: expect.objectContaining({ kind: "parse", message: expect.stringContaining("got HTML") }) });
  });

  it("reports an erratum of the wrong shape as invalid_data while keeping the rest", async () => {
    const file = JSON.parse(realErrata.toString("utf8"));
    file.data.push({ id: "ALSA-2024:0001", packages: "none" });
    server.files.set("/8/errata.full.json", JSON.stringify(file));

    const result = await poll(createMirror());

    expect(result.ok && result.builds).toHaveLength(6);
    expect(result.ok && result.failures).toEqual([
      {
        item: "8/ALSA-2024:0001",
        error: { kind: "invalid_data", message: expect.stringContaining("packages"), url: `${server.url}/8/errata.full.json` },
      },
    ]);
  });
});
