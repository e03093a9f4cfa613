import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AlmaErrataMirrorConfig } from "../../core/config";
import { almalinuxErrataSource } from "../../sources/almalinux-errata/almalinux-errata-source";
import { parseAlmaLinuxErrata } from "../../sources/almalinux-errata/parse-almalinux-errata";
import { createHttpClient } from "../../sources/http/create-http-client";
import { createManualClock } from "../scenario-clock";
import { createJune2023Timeline } from "../scenarios/june-2023";
import { computeMirrorPublications } from "../scenarios/mirror-publications";
import { serveReplica } from "../serve-replica";
import { createAlmaLinuxReplica } from "./create-almalinux-replica";

const START = new Date("2023-05-01T00:00:00Z");

describe("createAlmaLinuxReplica", () => {
  const clock = createManualClock(START);
  const timeline = createJune2023Timeline();
  const publications = computeMirrorPublications(timeline, "almalinux");
  const replica = createAlmaLinuxReplica({ timeline, clock, basePath: "/almalinux" });
  let server: { url: string; close(): Promise<void> };

  const publishedBy = (major: number, at: Date) => publications.filter((item) => item.major === major && item.publishedAt <= at);
  const fetchErrata = (major: number, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/almalinux/${major}/errata.full.json`, { headers });

  beforeAll(async () => {
    server = await serveReplica(replica);
  });
  afterAll(() => server.close());
  beforeEach(() => clock.set(START));

  it("serves one entry per erratum published by now, in AlmaLinux's format", async () => {
    const response = await fetchErrata(8);
    const file = (await response.json()) as { schema_version: string; data: Array<Record<string, unknown>> };

    expect(response.headers.get("content-type")).toBe("application/json");
    expect(file.schema_version).toBe("1.0");
    expect(new Set(file.data.map((erratum) => erratum.id))).toEqual(new Set(publishedBy(8, START).map((item) => item.erratumId)));
    expect(file.data[0]).toMatchObject({
      id: "ALSA-2023:1572",
      issued_date: Date.parse("2023-04-04T00:00:00Z") / 1000,
      updated_date: Date.parse("2023-04-04T23:42:14Z") / 1000,
      type: "security",
      packages: [
        {
          name: "pesign",
          epoch: "0",
          version: "0.112",
          release: "27.el8_7",
          arch: "x86_64",
          src: "pesign-0.112-27.el8_7.src.rpm",
          filename: "pesign-0.112-27.el8_7.x86_64.rpm",
        },
        { name: "pesign", arch: "aarch64", src: "pesign-0.112-27.el8_7.src.rpm" },
      ],
    });
  });

  it("writes files that the AlmaLinux parser reads without rejecting anything", async () => {
    clock.set(new Date("2023-09-30T00:00:00Z"));

    const result = parseAlmaLinuxErrata(Buffer.from(await (await fetchErrata(9)).arrayBuffer()));

    expect(result.ok && result.rejected).toEqual([]);
    expect(result.ok && result.errata.flatMap((erratum) => erratum.sourcePackages)).toHaveLength(publishedBy(9, clock.now()).length);
  });

  it("answers 304 while nothing new is published and a new file once an erratum appears", async () => {
    const first = await fetchErrata(8);
    const etag = first.headers.get("etag")!;
    const unchanged = await fetchErrata(8, { "if-none-match": etag });
    const next = publications.find((item) => item.major === 8 && item.publishedAt > START)!;
    clock.set(next.publishedAt);
    const changed = await fetchErrata(8, { "if-none-match": etag });

    expect(first.headers.get("last-modified")).toBe(publishedBy(8, START).at(-1)!.publishedAt.toUTCString());
    expect(unchanged.status).toBe(304);
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
    expect(replica.stats().notModified).toBeGreaterThanOrEqual(1);
  });

  it("serves an erratum page only once the erratum is published", async () => {
    const next = publications.find((item) => item.major === 9 && item.publishedAt > START)!;
    const pageUrl = `${server.url}/almalinux/9/${next.erratumId!.replace(":", "_")}.html`;

    const before = await fetch(pageUrl);
    clock.set(next.publishedAt);
    const after = await fetch(pageUrl);

    expect(before.status).toBe(404);
    expect(after.status).toBe(200);
    expect(await after.text()).toContain(`${next.nvr}.src.rpm`);
  });

  it("answers 404 for a major it does not carry and leaves other paths to the simulator", async () => {
    expect((await fetchErrata(10)).status).toBe(404);
    expect(await replica.handle({} as never, {} as never, "/rocky/api/v3/advisories/")).toBe(false);
  });

  it("is read by the AlmaLinux source: the publications by now, nothing on a 304, then the newer ones", async () => {
    const mirror = AlmaErrataMirrorConfig.parse({
      id: "almalinux",
      kind: "almalinux-errata",
      name: "AlmaLinux",
      majors: [8, 9],
      errataUrlTemplate: `${server.url}/almalinux/{major}/errata.full.json`,
      erratumWebUrlTemplate: `${server.url}/almalinux/{major}/{idUnderscore}.html`,
    });
    const http = createHttpClient({
      userAgent: "srcwatch-test",
      timeoutMs: 5000,
      maxResponseBytes: mirror.maxResponseBytes,
      retries: 0,
      perHostMinIntervalMs: 0,
      concurrency: 2,
      allowedHosts: [new URL(server.url).host],
      allowPrivateNetwork: true,
    });
    const poll = (state: unknown) =>
      almalinuxErrataSource.poll({ http, mirror, openPackages: new Map(), storedEvidence: new Map(), state });
    const refsBy = (at: Date) => [...publishedBy(8, at), ...publishedBy(9, at)].map((item) => `${item.erratumId}/${item.nvr}`).sort();

    const first = await poll(almalinuxErrataSource.initialState);
    if (!first.ok) throw new Error(first.error.message);
    const unchanged = await poll(first.state);
    clock.set(new Date("2023-05-15T00:00:00Z"));
    const later = await poll(first.state);
    if (!later.ok) throw new Error(later.error.message);

    expect(first.builds.map((build) => build.ref).sort()).toEqual(refsBy(START));
    const pesign = first.builds.find((build) => build.name === "pesign" && build.major === 8)!;
    expect(pesign).toMatchObject({ publishedAt: new Date("2023-04-04T23:42:14Z"), epoch: 0, evidenceKind: "erratum" });
    expect((await fetch(pesign.url ?? "")).status).toBe(200);
    expect(unchanged).toEqual({ ok: true, builds: [], state: first.state, failures: [] });
    expect(later.builds.map((build) => build.ref).sort()).toEqual(refsBy(clock.now()));
    expect(later.builds.length).toBeGreaterThan(first.builds.length);
  });
});
