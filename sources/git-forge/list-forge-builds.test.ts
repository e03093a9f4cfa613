import { SAMPLES_DIR } from "../../test/samples/path";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GitForgeMirrorConfig } from "../../core/config";
import type { StoredEvidence } from "../../core/types";
import { handleGitHttpRequest, readGitRequest, startGitHttpServer } from "../../simulator/git-http-server";
import { createHttpClient } from "../http/create-http-client";
import { listForgeBuilds } from "./list-forge-builds";
import { encodePktLine } from "./parse-pkt-lines";

const OPENELA_SAMPLES = path.join(SAMPLES_DIR, "openela");

let projectRoot: string;
let gitServer: { url: string; close(): Promise<void> };
let noFilterServer: { url: string; close(): Promise<void> };
let refusingFetchUrl: string;
const kernelTagTimes = new Map<string, number>();
const extraServers: http.Server[] = [];
const commitTimes = new Map<string, number>();
const commitInfoRequests: string[] = [];
let pagureApiUrl: string;
const shas: Record<string, string> = {};

function runGit(cwd: string, args: string[], dateIso = "2023-01-01T00:00:00Z"): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: {
      PATH: process.env.PATH,
      NODE_ENV: process.env.NODE_ENV,
      HOME: projectRoot,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_AUTHOR_NAME: "CentOS Sources",
      GIT_AUTHOR_EMAIL: "bot@centos.org",
      GIT_COMMITTER_NAME: "CentOS Sources",
      GIT_COMMITTER_EMAIL: "bot@centos.org",
      GIT_AUTHOR_DATE: dateIso,
      GIT_COMMITTER_DATE: dateIso,
    },
  }).trim();
}

/** Creates `<projectRoot>/rpms/<name>.git` with one commit per import, tagged as the list says. */
function createPackageRepository(name: string, imports: Array<{ tag: string; dateIso: string; isAnnotated?: boolean }>): void {
  const work = path.join(projectRoot, "work", name);
  mkdirSync(work, { recursive: true });
  runGit(work, ["init", "-q", "-b", "c8"]);
  for (const { tag, dateIso, isAnnotated } of imports) {
    runGit(work, ["commit", "-q", "--allow-empty", "-m", `import ${tag.split("/").at(-1)}`], dateIso);
    const sha = runGit(work, ["rev-parse", "HEAD"]);
    shas[tag] = sha;
    commitTimes.set(sha, Date.parse(dateIso) / 1000);
    if (isAnnotated) {
      runGit(work, ["tag", "-a", "-m", `import ${tag}`, tag], dateIso);
      shas[`${tag}^tag`] = runGit(work, ["rev-parse", tag]);
    } else runGit(work, ["tag", tag]);
  }
  const bare = path.join(projectRoot, "rpms", `${name}.git`);
  runGit(projectRoot, ["init", "-q", "--bare", bare]);
  runGit(work, ["push", "-q", bare, "HEAD:refs/heads/c8", "--tags"]);
}

/** Hosts of the servers of this file: the test clients may reach them on loopback. */
const loopbackHosts: string[] = [];

async function listen(server: http.Server): Promise<string> {
  extraServers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  loopbackHosts.push(`127.0.0.1:${(server.address() as AddressInfo).port}`);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function createMirror(overrides: Partial<GitForgeMirrorConfig> & { baseUrl?: string } = {}): GitForgeMirrorConfig {
  const { baseUrl = gitServer.url, ...rest } = overrides;
  return GitForgeMirrorConfig.parse({
    id: "centos",
    kind: "git-forge",
    name: "git.centos.org",
    majors: [8, 9],
    repoUrlTemplate: `${baseUrl}/rpms/{name}.git`,
    tagTemplate: "imports/c{major}/{nvr}",
    tagWebUrlTemplate: "https://git.centos.org/rpms/{name}/c/{sha}?tag={tag}",
    pagureApiUrl,
    ...rest,
  });
}

function createTestHttpClient() {
  return createHttpClient({
    userAgent: "srcwatch-test/1",
    timeoutMs: 5_000,
    maxResponseBytes: 1024 * 1024,
    retries: 0,
    perHostMinIntervalMs: 0,
    concurrency: 4,
    allowedHosts: loopbackHosts,
    allowPrivateNetwork: true,
    sleep: async () => undefined,
  });
}

beforeAll(async () => {
  projectRoot = mkdtempSync(path.join(tmpdir(), "srcwatch-forge-"));
  createPackageRepository("bash", [
    { tag: "imports/c8/bash-4.4.19-12.el8", dateIso: "2022-05-10T08:00:00Z" },
    { tag: "imports/c8/bash-4.4.20-4.el8_6", dateIso: "2023-05-16T10:30:00Z", isAnnotated: true },
    { tag: "imports/c8s/bash-4.4.20-5.el8", dateIso: "2023-06-01T00:00:00Z" },
    { tag: "imports/c9/bash-5.1.8-6.el9_1", dateIso: "2023-02-07T12:00:00Z" },
    { tag: "imports/c8/bash-completion-2.7-5.el8", dateIso: "2023-03-01T00:00:00Z" },
    { tag: "imports/c7/bash-4.2.46-34.el7", dateIso: "2020-04-01T00:00:00Z" },
  ]);
  createPackageRepository("ruby", [
    { tag: "imports/c8/ruby-2.5.9-111.el8_7", dateIso: "2023-01-10T00:00:00Z" },
    { tag: "imports/c8-stream-3.1/ruby-3.1.2-141.module+el8.7.0+15051+9f8e6fd2", dateIso: "2023-01-12T00:00:00Z", isAnnotated: true },
    { tag: "imports/c8-stream-3.1/rubygem-rails-7.0.4-1.module+el8.7.0+15051+9f8e6fd2", dateIso: "2023-01-13T00:00:00Z" },
    { tag: "imports/c9/ruby-3.0.4-161.el9_2", dateIso: "2023-05-09T00:00:00Z" },
    { tag: "modules/ruby/3.1/ruby-3.1.2-141.module+el8.7.0+15051+9f8e6fd2", dateIso: "2023-01-14T00:00:00Z" },
  ]);
  createPackageRepository(
    "kernel",
    Array.from({ length: 40 }, (_, index) => {
      const dateIso = new Date(Date.UTC(2023, 0, 1 + index, 6, index, index)).toISOString();
      kernelTagTimes.set(`refs/tags/imports/c8/kernel-4.18.0-${400 + index}.el8`, Date.parse(dateIso));
      return { tag: `imports/c8/kernel-4.18.0-${400 + index}.el8`, dateIso, isAnnotated: true };
    }),
  );
  runGit(projectRoot, ["init", "-q", "--bare", path.join(projectRoot, "rpms", "empty.git")]);
  gitServer = await startGitHttpServer(projectRoot);
  loopbackHosts.push(new URL(gitServer.url).host);
  noFilterServer = await startGitHttpServer(projectRoot, 0, { allowFilter: false });
  loopbackHosts.push(new URL(noFilterServer.url).host);
  // A forge that lists refs but refuses fetches (as a rate-limited GitHub may).
  refusingFetchUrl = await listen(
    http.createServer(async (request, response) => {
      const url = new URL(request.url ?? "/", "http://localhost");
      const { kind, body } = await readGitRequest(request, url.pathname);
      if (kind === "fetch") return void response.writeHead(429, { "content-type": "text/plain" }).end("slow down\n");
      handleGitHttpRequest(request, response, { projectRoot, pathInfo: url.pathname, queryString: url.search.slice(1), body });
    }),
  );

  const pagureStub = http.createServer((request, response) => {
    const match = /^\/api\/0\/rpms\/([^/]+)\/c\/([0-9a-f]{40})\/info$/.exec(request.url ?? "");
    commitInfoRequests.push(request.url ?? "");
    const commitTime = match ? commitTimes.get(match[2]) : undefined;
    if (commitTime === undefined || match?.[1] === "ruby") {
      response.writeHead(404, { "content-type": "application/json" }).end('{"error":"Commit not found"}');
      return;
    }
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ author: "CentOS Sources", commit_time: String(commitTime), message: "import", parent_ids: [] }));
  });
  pagureApiUrl = `${await listen(pagureStub)}/api/0`;
});

afterAll(async () => {
  await gitServer?.close();
  await noFilterServer?.close();
  for (const server of extraServers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  rmSync(projectRoot, { recursive: true, force: true });
});

describe("listForgeBuilds", () => {
  it("lists the imports of both majors with peeled commits and reads each new tag's time in one fetch, without Pagure", async () => {
    const client = createTestHttpClient();
    commitInfoRequests.length = 0;

    const result = await listForgeBuilds({
      http: client,
      mirror: createMirror(),
      packageName: "bash",
      majors: [8, 9],
      storedEvidence: new Map(),
    });

    expect(result).toEqual({
      ok: true,
      repositoryExists: true,
      builds: [
        {
          name: "bash",
          evidenceKind: "tag",
          epoch: null,
          version: "4.4.19",
          release: "12.el8",
          major: 8,
          moduleStream: null,
          ref: "refs/tags/imports/c8/bash-4.4.19-12.el8",
          url: `https://git.centos.org/rpms/bash/c/${shas["imports/c8/bash-4.4.19-12.el8"]}?tag=imports/c8/bash-4.4.19-12.el8`,
          commitSha: shas["imports/c8/bash-4.4.19-12.el8"],
          publishedAt: new Date("2022-05-10T08:00:00Z"),
          publishedAtOrigin: "commit_date",
        },
        {
          name: "bash",
          evidenceKind: "tag",
          epoch: null,
          version: "4.4.20",
          release: "4.el8_6",
          major: 8,
          moduleStream: null,
          ref: "refs/tags/imports/c8/bash-4.4.20-4.el8_6",
          url: `https://git.centos.org/rpms/bash/c/${shas["imports/c8/bash-4.4.20-4.el8_6"]}?tag=imports/c8/bash-4.4.20-4.el8_6`,
          commitSha: shas["imports/c8/bash-4.4.20-4.el8_6"],
          publishedAt: new Date("2023-05-16T10:30:00Z"),
          publishedAtOrigin: "tagger_date",
        },
        {
          name: "bash",
          evidenceKind: "tag",
          epoch: null,
          version: "5.1.8",
          release: "6.el9_1",
          major: 9,
          moduleStream: null,
          ref: "refs/tags/imports/c9/bash-5.1.8-6.el9_1",
          url: `https://git.centos.org/rpms/bash/c/${shas["imports/c9/bash-5.1.8-6.el9_1"]}?tag=imports/c9/bash-5.1.8-6.el9_1`,
          commitSha: shas["imports/c9/bash-5.1.8-6.el9_1"],
          publishedAt: new Date("2023-02-07T12:00:00Z"),
          publishedAtOrigin: "commit_date",
        },
      ],
    });
    expect(shas["imports/c8/bash-4.4.20-4.el8_6^tag"]).not.toBe(shas["imports/c8/bash-4.4.20-4.el8_6"]);
    expect(client.stats.requests).toBe(2 + 1);
    expect(commitInfoRequests).toEqual([]);
  });

  it("keeps only the requested majors", async () => {
    const result = await listForgeBuilds({
      http: createTestHttpClient(),
      mirror: createMirror(),
      packageName: "bash",
      majors: [9],
      storedEvidence: new Map(),
    });

    expect(result.ok && result.builds.map((build) => build.ref)).toEqual(["refs/tags/imports/c9/bash-5.1.8-6.el9_1"]);
  });

  it("reads module imports through the module tag template", async () => {
    const result = await listForgeBuilds({
      http: createTestHttpClient(),
      mirror: createMirror({ moduleTagTemplate: "imports/c{major}-stream-{moduleStream}/{nvr}" }),
      packageName: "ruby",
      majors: [8],
      storedEvidence: new Map(),
    });

    const moduleTag = "imports/c8-stream-3.1/ruby-3.1.2-141.module+el8.7.0+15051+9f8e6fd2";
    expect(result.ok && result.builds).toEqual([
      expect.objectContaining({
        ref: "refs/tags/imports/c8-stream-3.1/ruby-3.1.2-141.module+el8.7.0+15051+9f8e6fd2",
        name: "ruby",
        version: "3.1.2",
        release: "141.module+el8.7.0+15051+9f8e6fd2",
        major: 8,
        moduleStream: "3.1",
        commitSha: shas[moduleTag],
        url: `https://git.centos.org/rpms/ruby/c/${shas[moduleTag]}?tag=${moduleTag}`,
      }),
      expect.objectContaining({ ref: "refs/tags/imports/c8/ruby-2.5.9-111.el8_7", major: 8, moduleStream: null }),
    ]);
  });

  it("names the module in moduleStream when the template carries {module}", async () => {
    const result = await listForgeBuilds({
      http: createTestHttpClient(),
      mirror: createMirror({ tagTemplate: "modules/{module}/{moduleStream}/{nvr}", pagureApiUrl: undefined }),
      packageName: "ruby",
      majors: [8],
      storedEvidence: new Map(),
    });

    expect(result.ok && result.builds.map((build) => [build.ref, build.major, build.moduleStream])).toEqual([
      ["refs/tags/modules/ruby/3.1/ruby-3.1.2-141.module+el8.7.0+15051+9f8e6fd2", 8, "ruby:3.1"],
    ]);
  });

  it("takes the major from the dist tag when the tag template has no {major}", async () => {
    const result = await listForgeBuilds({
      http: createTestHttpClient(),
      mirror: createMirror({ tagTemplate: "imports/c9/{nvr}", pagureApiUrl: undefined }),
      packageName: "ruby",
      majors: [8, 9],
      storedEvidence: new Map(),
    });

    expect(result.ok && result.builds.map((build) => [build.ref, build.major])).toEqual([["refs/tags/imports/c9/ruby-3.0.4-161.el9_2", 9]]);
  });

  it("reads the times from a server without filter support too", async () => {
    const client = createTestHttpClient();

    const result = await listForgeBuilds({
      http: client,
      mirror: createMirror({ baseUrl: noFilterServer.url, pagureApiUrl: undefined }),
      packageName: "bash",
      majors: [8, 9],
      storedEvidence: new Map(),
    });

    expect(result.ok && result.builds.map((build) => [build.publishedAt, build.publishedAtOrigin])).toEqual([
      [new Date("2022-05-10T08:00:00Z"), "commit_date"],
      [new Date("2023-05-16T10:30:00Z"), "tagger_date"],
      [new Date("2023-02-07T12:00:00Z"), "commit_date"],
    ]);
    expect(client.stats.requests).toBe(2 + 1);
  });

  it("asks Pagure for the times a refused fetch did not give, and leaves publishedAt null when Pagure fails too", async () => {
    const client = createTestHttpClient();
    commitInfoRequests.length = 0;

    const bash = await listForgeBuilds({
      http: client,
      mirror: createMirror({ baseUrl: refusingFetchUrl }),
      packageName: "bash",
      majors: [8, 9],
      storedEvidence: new Map(),
    });
    const ruby = await listForgeBuilds({
      http: createTestHttpClient(),
      mirror: createMirror({ baseUrl: refusingFetchUrl }),
      packageName: "ruby",
      majors: [8, 9],
      storedEvidence: new Map(),
    });

    expect(bash.ok && bash.builds.map((build) => [build.publishedAt, build.publishedAtOrigin])).toEqual([
      [new Date("2022-05-10T08:00:00Z"), "forge_api"],
      [new Date("2023-05-16T10:30:00Z"), "forge_api"],
      [new Date("2023-02-07T12:00:00Z"), "forge_api"],
    ]);
    expect(client.stats.requests).toBe(2 + 1 + 3);
    expect(ruby.ok && ruby.builds.map((build) => [build.publishedAt, build.publishedAtOrigin])).toEqual([
      [null, null],
      [null, null],
    ]);
  });

  it("leaves publishedAt null without a fetch or a Pagure API, and only talks git", async () => {
    const client = createTestHttpClient();

    const result = await listForgeBuilds({
      http: client,
      mirror: createMirror({ baseUrl: refusingFetchUrl, pagureApiUrl: undefined }),
      packageName: "bash",
      majors: [8, 9],
      storedEvidence: new Map(),
    });

    expect(result.ok && result.builds.map((build) => build.publishedAt)).toEqual([null, null, null]);
    expect(client.stats.requests).toBe(2 + 1);
  });

  it("keeps a tag time after now as the mirror says it: the verdict, not the source, decides whether to believe it", async () => {
    const result = await listForgeBuilds({
      http: createTestHttpClient(),
      mirror: createMirror({ pagureApiUrl: undefined }),
      packageName: "bash",
      majors: [8, 9],
      storedEvidence: new Map(),
    });

    expect(result.ok && result.builds.map((build) => build.publishedAtOrigin)).toEqual(["commit_date", "tagger_date", "commit_date"]);
  });

  it("fetches only the new tags' objects, and nothing when every tag is known", async () => {
    const client = createTestHttpClient();
    const allKnown = createTestHttpClient();
    const knownAt = new Date("2023-05-17T00:00:00Z");
    const storedEvidence = new Map<string, StoredEvidence>([
      ["refs/tags/imports/c8/bash-4.4.19-12.el8", { commitSha: shas["imports/c8/bash-4.4.19-12.el8"], publishedAt: null }],
      ["refs/tags/imports/c8/bash-4.4.20-4.el8_6", { commitSha: shas["imports/c8/bash-4.4.20-4.el8_6"], publishedAt: knownAt }],
    ]);
    commitInfoRequests.length = 0;

    const result = await listForgeBuilds({ http: client, mirror: createMirror(), packageName: "bash", majors: [8, 9], storedEvidence });
    const again = await listForgeBuilds({ http: allKnown, mirror: createMirror(), packageName: "bash", majors: [8], storedEvidence });

    expect(result.ok && result.builds.map((build) => [build.publishedAt, build.publishedAtOrigin])).toEqual([
      [null, null],
      [knownAt, "forge_api"],
      [new Date("2023-02-07T12:00:00Z"), "commit_date"],
    ]);
    expect(client.stats.requests).toBe(2 + 1);
    expect(commitInfoRequests).toEqual([]);
    expect(again.ok && again.builds).toHaveLength(2);
    expect(allKnown.stats.requests).toBe(2);
  });

  it("costs one ls-refs and one fetch for a repository with 40 new tags", async () => {
    const client = createTestHttpClient();

    const result = await listForgeBuilds({
      http: client,
      mirror: createMirror({ pagureApiUrl: undefined }),
      packageName: "kernel",
      majors: [8],
      storedEvidence: new Map(),
    });

    expect(result.ok && result.builds).toHaveLength(40);
    expect(
      result.ok &&
        result.builds.every(
          (build) => build.publishedAtOrigin === "tagger_date" && build.publishedAt?.getTime() === kernelTagTimes.get(build.ref),
        ),
    ).toBe(true);
    expect(client.stats.requests).toBe(1 + 1 + 1);
  });

  it("looks the time up again when a known tag now points at another commit", async () => {
    const client = createTestHttpClient();
    const storedEvidence = new Map<string, StoredEvidence>([
      ["refs/tags/imports/c9/bash-5.1.8-6.el9_1", { commitSha: "0".repeat(40), publishedAt: new Date("2020-01-01T00:00:00Z") }],
    ]);

    const result = await listForgeBuilds({ http: client, mirror: createMirror(), packageName: "bash", majors: [9], storedEvidence });

    expect(result.ok && result.builds[0].publishedAt).toEqual(new Date("2023-02-07T12:00:00Z"));
  });

  it("falls back to protocol v0 (advertisement and fetch) when the server does not speak v2", async () => {
    const v0Url = await listen(
      http.createServer((request, response) => {
        delete request.headers["git-protocol"];
        const url = new URL(request.url ?? "/", "http://localhost");
        handleGitHttpRequest(request, response, { projectRoot, pathInfo: url.pathname, queryString: url.search.slice(1) });
      }),
    );
    const client = createTestHttpClient();

    const result = await listForgeBuilds({
      http: client,
      mirror: createMirror({ baseUrl: v0Url, pagureApiUrl: undefined }),
      packageName: "bash",
      majors: [8, 9],
      storedEvidence: new Map(),
    });

    expect(result.ok && result.builds.map((build) => [build.ref, build.commitSha, build.publishedAt, build.publishedAtOrigin])).toEqual([
      ["refs/tags/imports/c8/bash-4.4.19-12.el8", shas["imports/c8/bash-4.4.19-12.el8"], new Date("2022-05-10T08:00:00Z"), "commit_date"],
      ["refs/tags/imports/c8/bash-4.4.20-4.el8_6", shas["imports/c8/bash-4.4.20-4.el8_6"], new Date("2023-05-16T10:30:00Z"), "tagger_date"],
      ["refs/tags/imports/c9/bash-5.1.8-6.el9_1", shas["imports/c9/bash-5.1.8-6.el9_1"], new Date("2023-02-07T12:00:00Z"), "commit_date"],
    ]);
    expect(client.stats.requests).toBe(1 + 1);
  });

  it("reads the real OpenELA openssl refs, peeling each annotated tag to its commit", async () => {
    const lsRemote = readFileSync(path.join(OPENELA_SAMPLES, "openssl.ls-remote.txt"), "utf8").trim().split("\n");
    const advertisement = Buffer.concat([
      encodePktLine("# service=git-upload-pack"),
      Buffer.from("0000"),
      ...lsRemote.map((line, index) => encodePktLine(line.replace("\t", " ") + (index === 0 ? "\0multi_ack agent=github" : ""))),
      Buffer.from("0000"),
    ]);
    const openelaUrl = await listen(
      http.createServer((_request, response) => {
        response.writeHead(200, { "content-type": "application/x-git-upload-pack-advertisement" });
        response.end(advertisement);
      }),
    );
    const expectedTags = readFileSync(path.join(OPENELA_SAMPLES, "openssl.tags-with-dates.psv"), "utf8")
      .trim()
      .split("\n")
      .map((line) => line.split("|"))
      .filter(([, tag]) => /^imports\/el\d+\//.test(tag))
      .map(([, tag, , commitSha]) => [`refs/tags/${tag}`, commitSha]);

    const result = await listForgeBuilds({
      http: createTestHttpClient(),
      mirror: createMirror({
        baseUrl: openelaUrl,
        repoUrlTemplate: `${openelaUrl}/openela-main/{name}`,
        tagTemplate: "imports/el{major}/{nvr}",
        tagWebUrlTemplate: "https://github.com/openela-main/{name}/releases/tag/{tag}",
        pagureApiUrl: undefined,
      }),
      packageName: "openssl",
      majors: [8, 9],
      storedEvidence: new Map(),
    });

    expect(expectedTags).toHaveLength(8);
    expect(result.ok && result.builds.map((build) => [build.ref, build.commitSha])).toEqual(expectedTags);
    expect(result.ok && result.builds[0]).toMatchObject({
      name: "openssl",
      version: "1.1.1k",
      release: "12.el8_9",
      major: 8,
      url: "https://github.com/openela-main/openssl/releases/tag/imports/el8/openssl-1.1.1k-12.el8_9",
    });
  });

  it("reports a missing repository as not existing rather than as an error", async () => {
    const result = await listForgeBuilds({
      http: createTestHttpClient(),
      mirror: createMirror(),
      packageName: "no-such-package",
      majors: [8, 9],
      storedEvidence: new Map(),
    });

    expect(result).toEqual({ ok: true, repositoryExists: false, builds: [] });
  });

  it("reports a repository answered with a configured missing-repository status (GitHub's 401) as not existing", async () => {
    const githubLikeUrl = await listen(
      http.createServer((_request, response) => {
        response.writeHead(401, { "content-type": "text/plain", "www-authenticate": 'Basic realm="GitHub"' });
        response.end("Invalid username or token.\n");
      }),
    );

    const asMissing = await listForgeBuilds({
      http: createTestHttpClient(),
      mirror: createMirror({ baseUrl: githubLikeUrl, missingRepositoryStatuses: [401, 404] }),
      packageName: "openssl",
      majors: [9],
      storedEvidence: new Map(),
    });
    const asError = await listForgeBuilds({
      http: createTestHttpClient(),
      mirror: createMirror({ baseUrl: githubLikeUrl }),
      packageName: "openssl",
      majors: [9],
      storedEvidence: new Map(),
    });

    expect(asMissing).toEqual({ ok: true, repositoryExists: false, builds: [] });
    expect(asError).toMatchObject({ ok: false, error: { kind: "http", status: 401 } });
  });

  it("finds no builds in an empty repository", async () => {
    const result = await listForgeBuilds({
      http: createTestHttpClient(),
      mirror: createMirror(),
      packageName: "empty",
      majors: [8, 9],
      storedEvidence: new Map(),
    });

    expect(result).toEqual({ ok: true, repositoryExists: true, builds: [] });
  });

  it("reports an HTML page answered with 200 as a parse error", async () => {
    const htmlUrl = await listen(
      http.createServer((_request, response) => {
        response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        response.end("<!DOCTYPE html><html><body>Welcome to Pagure</body></html>");
      }),
    );

    const result = await listForgeBuilds({
      http: createTestHttpClient(),
      mirror: createMirror({ baseUrl: htmlUrl }),
      packageName: "bash",
      majors: [8],
      storedEvidence: new Map(),
    });

    expect(result).toMatchObject({
      ok: false,
      error: { kind: "parse", url: `${htmlUrl}/rpms/bash.git/info/refs?service=git-upload-pack` },
    });
  });

  it("reports garbage under the git content type as a parse error", async () => {
    const garbageUrl = await listen(
      http.createServer((_request, response) => {
        response.writeHead(200, { "content-type": "application/x-git-upload-pack-advertisement" });
        response.end("zzzz not pkt-lines at all");
      }),
    );

    const result = await listForgeBuilds({
      http: createTestHttpClient(),
      mirror: createMirror({ baseUrl: garbageUrl }),
      packageName: "bash",
      majors: [8],
      storedEvidence: new Map(),
    });

    expect(result).toMatchObject({ ok: false, error: { kind: "parse" } });
  });

  it("reports a server that is down as a network error", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    loopbackHosts.push(`127.0.0.1:${port}`);

    const result = await listForgeBuilds({
      http: createTestHttpClient(),
      mirror: createMirror({ baseUrl: `http://127.0.0.1:${port}` }),
      packageName: "bash",
      majors: [8],
      storedEvidence: new Map(),
    });

    expect(result).toMatchObject({ ok: false, error: { kind: "network" } });
  });
});
