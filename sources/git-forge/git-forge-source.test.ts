import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GitForgeMirrorConfig } from "../../core/config";
import { createOpenElaReplica, listOpenElaImports, type OpenElaReplica } from "../../simulator/openela/create-openela-replica";
import { createManualClock } from "../../simulator/scenario-clock";
import { createJune2023Timeline } from "../../simulator/scenarios/june-2023";
import { serveReplica } from "../../simulator/serve-replica";
import { createHttpClient } from "../http/create-http-client";
import { listSourceHosts } from "../http/list-source-hosts";
import type { MirrorPollInput, SourceProgress } from "../source-contracts";
import { gitForgeSource } from "./git-forge-source";

const clock = createManualClock(new Date("2023-10-01T00:00:00Z"));
let dataDir: string;
let replica: OpenElaReplica;
let server: { url: string; close(): Promise<void> };

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "srcwatch-forge-source-test-"));
  replica = await createOpenElaReplica({ timeline: createJune2023Timeline(), clock, basePath: "/openela", dataDir });
  server = await serveReplica(replica);
});
afterAll(async () => {
  await server?.close();
  await replica?.close();
  await rm(dataDir, { recursive: true, force: true });
});
beforeEach(() => clock.set(new Date("2023-10-01T00:00:00Z")));

function createMirror(baseUrl: string, overrides: Partial<GitForgeMirrorConfig> = {}): GitForgeMirrorConfig {
  return GitForgeMirrorConfig.parse({
    id: "openela",
    kind: "git-forge",
    name: "OpenELA",
    majors: [8, 9],
    repoUrlTemplate: `${baseUrl}/openela/{name}.git`,
    tagTemplate: "imports/el{major}/{nvr}",
    tagWebUrlTemplate: `${baseUrl}/openela/{name}/commit/{sha}`,
    missingRepositoryStatuses: [401, 404],
    ...overrides,
  });
}

function createInput(
  mirror: GitForgeMirrorConfig,
  openPackages: Record<string, number[]>,
  overrides: Partial<MirrorPollInput<GitForgeMirrorConfig>> = {},
): MirrorPollInput<GitForgeMirrorConfig> {
  return {
    http: createHttpClient({
      userAgent: "srcwatch-test/1",
      timeoutMs: 5_000,
      maxResponseBytes: 1024 * 1024,
      retries: 0,
      perHostMinIntervalMs: 0,
      concurrency: 4,
      allowedHosts: listSourceHosts(mirror),
      allowPrivateNetwork: true,
    }),
    mirror,
    openPackages: new Map(Object.entries(openPackages).map(([name, majors]) => [name, new Set(majors)])),
    storedEvidence: new Map(),
    state: null,
    ...overrides,
  };
}

describe("gitForgeSource", () => {
  it("lists the import tags of each open package for its open majors, as tag evidence with peeled commits and tagger dates", async () => {
    const importedAt = listOpenElaImports(createJune2023Timeline()).find(
      (item) => item.tag === "imports/el9/firefox-102.15.1-1.el9_2",
    )?.importAt;
    const progress: SourceProgress[] = [];

    const result = await gitForgeSource.poll(
      createInput(createMirror(server.url), { firefox: [9], thunderbird: [8, 9, 10] }, { onProgress: (step) => progress.push(step) }),
    );

    expect(result.ok && result.failures).toEqual([]);
    const builds = result.ok ? result.builds : [];
    expect(builds.filter((build) => build.name === "firefox").every((build) => build.major === 9)).toBe(true);
    expect(new Set(builds.filter((build) => build.name === "thunderbird").map((build) => build.major))).toEqual(new Set([8, 9]));
    expect(builds.find((build) => build.ref === "refs/tags/imports/el9/firefox-102.15.1-1.el9_2")).toEqual({
      name: "firefox",
      epoch: null,
      version: "102.15.1",
      release: "1.el9_2",
      evidenceKind: "tag",
      major: 9,
      moduleStream: null,
      ref: "refs/tags/imports/el9/firefox-102.15.1-1.el9_2",
      commitSha: expect.stringMatching(/^[0-9a-f]{40}$/),
      url: expect.stringMatching(new RegExp(`^${server.url}/openela/firefox/commit/[0-9a-f]{40}$`)),
      publishedAt: importedAt,
      publishedAtOrigin: "tagger_date",
    });
    expect(importedAt).toBeInstanceOf(Date);
    expect(progress.at(-1)).toEqual({ step: "listing tags", done: 2, total: 2 });
  });

  it("sees tags appear over time", async () => {
    clock.set(new Date("2023-07-12T00:00:00Z"));
    const early = await gitForgeSource.poll(createInput(createMirror(server.url), { firefox: [8, 9] }));
    clock.set(new Date("2023-10-01T00:00:00Z"));
    const late = await gitForgeSource.poll(createInput(createMirror(server.url), { firefox: [8, 9] }));

    expect(early.ok && late.ok && late.builds.length > early.builds.length && early.builds.length > 0).toBe(true);
  });

  it("treats GitHub's 401 for a missing repository as no builds, not as a failure", async () => {
    const result = await gitForgeSource.poll(createInput(createMirror(server.url), { firefox: [9], "no-such-package": [9] }));

    expect(result.ok && result.failures).toEqual([]);
    expect(result.ok && result.builds.every((build) => build.name === "firefox")).toBe(true);
  });

  it("reports a 401 as a failure when the mirror does not list it as a missing-repository status", async () => {
    const result = await gitForgeSource.poll(
      createInput(createMirror(server.url, { missingRepositoryStatuses: [404] }), { firefox: [9], "no-such-package": [9] }),
    );

    expect(result.ok && result.failures.map((failure) => [failure.item, failure.error.status])).toEqual([["no-such-package", 401]]);
  });

  it("fails the poll with the first error when every package fails", async () => {
    const result = await gitForgeSource.poll(createInput(createMirror("http://127.0.0.1:1"), { firefox: [9], kernel: [9] }));

    expect(result).toMatchObject({ ok: false, error: { kind: "network", url: expect.stringContaining("/firefox.git/") } });
  });

  it("skips packages of majors the mirror does not carry", async () => {
    const requestsBefore = replica.stats().requests;

    const result = await gitForgeSource.poll(createInput(createMirror(server.url, { majors: [9] }), { firefox: [8] }));

    expect(result).toEqual({ ok: true, builds: [], state: null, failures: [] });
    expect(replica.stats().requests).toBe(requestsBefore);
  });

  it("probes the forge host when nothing is open: any HTTP answer keeps it healthy, no answer fails the poll", async () => {
    const answered = await gitForgeSource.poll(createInput(createMirror(server.url), {}));
    const down = await gitForgeSource.poll(createInput(createMirror("http://127.0.0.1:1"), {}));

    expect(answered).toEqual({ ok: true, builds: [], state: null, failures: [] });
    expect(down).toMatchObject({ ok: false, error: { kind: "network" } });
  });
});
