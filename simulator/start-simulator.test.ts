import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createManualClock } from "./scenario-clock";
import type { ScenarioPackageRelease } from "./scenarios/june-2023";
import { startSimulator, type Simulator } from "./start-simulator";

const execFileAsync = promisify(execFile);
const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", GIT_TERMINAL_PROMPT: "0" };
const CHANGES_ROW = /^"(\d{4}\/rh[sbe]a-\d{4}_\d+\.json)","(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00)"$/;

async function git(args: string[], cwd?: string): Promise<string> {
  return (await execFileAsync("git", args, { env: GIT_ENV, cwd })).stdout;
}

async function lsRemote(repoUrl: string, protocolVersion: 0 | 2, pattern = "refs/tags/*"): Promise<string[]> {
  const output = await git(["-c", `protocol.version=${protocolVersion}`, "ls-remote", repoUrl, pattern]);
  return output.split("\n").filter(Boolean);
}

function parseChanges(text: string): Array<{ path: string; changedAt: string }> {
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const match = CHANGES_ROW.exec(line);
      if (!match) throw new Error(`not a changes.csv row: ${line}`);
      return { path: match[1], changedAt: match[2] };
    });
}

describe("the simulator", () => {
  const clock = createManualClock(new Date("2023-06-01T00:00:00Z"));
  let dataDir: string;
  let simulator: Simulator;
  /** A RHEL 8 package imported once, before the cut-off: the subject of the git forge tests. */
  let subject: ScenarioPackageRelease & { tag: string; importAt: Date };

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "srcwatch-simulator-test-"));
    simulator = await startSimulator({ scenario: "june-2023", clock, dataDir });
    const imported = simulator.timeline.packages.filter((item) => item.importAt);
    subject = imported.find(
      (item) =>
        item.major === 8 && item.releasedAt > new Date("2023-05-10") && imported.filter((other) => other.name === item.name).length === 1,
    ) as typeof subject;
  });
  afterAll(async () => {
    await simulator?.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    clock.set(new Date("2023-06-01T00:00:00Z"));
    simulator.setFault("csaf", null);
    simulator.setFault("git", null);
    simulator.resetStats();
  });

  describe("CSAF feed", () => {
    it("lists in changes.csv only the advisories released by now, newest first, and grows as the clock advances", async () => {
      const first = parseChanges(await (await fetch(`${simulator.csafBaseUrl}changes.csv`)).text());
      const releasedByNow = simulator.timeline.releases.filter((release) => release.releasedAt <= clock.now());
      expect(first).toHaveLength(releasedByNow.length);
      expect(first.map((row) => row.changedAt)).toEqual([...first.map((row) => row.changedAt)].sort().reverse());
      expect(first.every((row) => Date.parse(row.changedAt) <= clock.now().getTime())).toBe(true);

      clock.advance(5 * 24 * 3_600_000);
      const later = parseChanges(await (await fetch(`${simulator.csafBaseUrl}changes.csv`)).text());
      expect(later.length).toBeGreaterThan(first.length);
      expect(later.slice(later.length - first.length)).toEqual(first);
    });

    it("answers 304 to a conditional GET until changes.csv changes", async () => {
      const response = await fetch(`${simulator.csafBaseUrl}changes.csv`);
      await response.arrayBuffer();
      const etag = response.headers.get("etag");
      const lastModified = response.headers.get("last-modified");
      expect(etag).toMatch(/^"[^"]+"$/);
      expect(lastModified).toBeTruthy();

      const byEtag = await fetch(`${simulator.csafBaseUrl}changes.csv`, { headers: { "If-None-Match": etag! } });
      expect(byEtag.status).toBe(304);
      const byDate = await fetch(`${simulator.csafBaseUrl}changes.csv`, { headers: { "If-Modified-Since": lastModified! } });
      expect(byDate.status).toBe(304);
      expect(simulator.stats().notModified).toBe(2);

      clock.set(new Date("2023-06-10T00:00:00Z"));
      const changed = await fetch(`${simulator.csafBaseUrl}changes.csv`, { headers: { "If-None-Match": etag! } });
      expect(changed.status).toBe(200);
      expect(changed.headers.get("etag")).not.toBe(etag);
    });

    it("serves a released advisory, gzipped when asked, with validators that give 304", async () => {
      const [row] = parseChanges(await (await fetch(`${simulator.csafBaseUrl}changes.csv`)).text());
      const plain = await fetch(`${simulator.csafBaseUrl}${row.path}`);
      expect(plain.status).toBe(200);
      expect(plain.headers.get("content-type")).toBe("application/json");
      const document = (await plain.json()) as { document: { tracking: { initial_release_date: string } } };
      expect(document.document.tracking.initial_release_date).toBe(row.changedAt);

      const raw = await new Promise<{ status: number; encoding: string | undefined; body: Buffer; etag: string | undefined }>(
        (resolve, reject) => {
          import("node:http").then(({ get }) =>
            get(`${simulator.csafBaseUrl}${row.path}`, { headers: { "Accept-Encoding": "gzip" } }, (response) => {
              const chunks: Buffer[] = [];
              response.on("data", (chunk: Buffer) => chunks.push(chunk));
              response.on("end", () =>
                resolve({
                  status: response.statusCode ?? 0,
                  encoding: response.headers["content-encoding"],
                  body: Buffer.concat(chunks),
                  etag: response.headers.etag,
                }),
              );
            }).on("error", reject),
          );
        },
      );
      expect(raw.encoding).toBe("gzip");
      expect(JSON.parse(gunzipSync(raw.body).toString("utf8"))).toEqual(document);
      const conditional = await fetch(`${simulator.csafBaseUrl}${row.path}`, { headers: { "If-None-Match": raw.etag! } });
      expect(conditional.status).toBe(304);
    });

    it("answers 404 for an advisory not yet released", async () => {
      const future = simulator.timeline.releases.find((release) => release.releasedAt > clock.now())!;
      const path = `${future.releasedAt.getUTCFullYear()}/${future.advisoryId.toLowerCase().replace(":", "_")}.json`;
      expect((await fetch(`${simulator.csafBaseUrl}${path}`)).status).toBe(404);
      clock.set(future.releasedAt);
      expect((await fetch(`${simulator.csafBaseUrl}${path}`)).status).toBe(200);
    });

    it("serves an empty deletions.csv and names the latest archive", async () => {
      const deletions = await fetch(`${simulator.csafBaseUrl}deletions.csv`);
      expect(deletions.status).toBe(200);
      expect(await deletions.text()).toBe("");
      expect(await (await fetch(`${simulator.csafBaseUrl}archive_latest.txt`)).text()).toBe("csaf_advisories_2023-06-01.tar.zst");
    });
  });

  describe("git forge", () => {
    it("shows an import tag only once its import time has passed, over protocol v2 and v0", async () => {
      const repoUrl = `${simulator.gitBaseUrl}/${subject.name}.git`;
      clock.set(new Date(subject.importAt.getTime() - 1000));
      for (const version of [2, 0] as const) expect(await lsRemote(repoUrl, version)).toEqual([]);

      clock.set(subject.importAt);
      for (const version of [2, 0] as const) {
        const lines = await lsRemote(repoUrl, version, "refs/tags/imports/c8/*");
        // An annotated tag: the tag object, then the commit it peels to.
        expect(lines).toHaveLength(2);
        expect(lines[0]).toMatch(new RegExp(`^[0-9a-f]{40}\\trefs/tags/${subject.tag.replaceAll(".", "\\.")}$`));
        expect(lines[1]).toMatch(new RegExp(`^[0-9a-f]{40}\\trefs/tags/${subject.tag.replaceAll(".", "\\.")}\\^\\{\\}$`));
      }
      // v2 lists refs with a POST (ls-refs); v0 only reads the advertisement.
      expect(simulator.stats().requests.git).toBe(2 + 1 + 2 + 1);

      clock.set(new Date(subject.importAt.getTime() - 1000));
      expect(await lsRemote(repoUrl, 2)).toEqual([]);
    });

    it("serves the import commit, authored by CentOS Sources at the import instant", async () => {
      clock.set(subject.importAt);
      const workDir = await mkdtemp(path.join(os.tmpdir(), "srcwatch-simulator-fetch-"));
      try {
        await git(["init", "--quiet", "--bare", workDir]);
        await git(["--git-dir", workDir, "fetch", "--quiet", `${simulator.gitBaseUrl}/${subject.name}.git`, `refs/tags/${subject.tag}`]);
        const log = await git(["--git-dir", workDir, "log", "-1", "--format=%an <%ae>|%ct|%s", "FETCH_HEAD"]);
        expect(log.trim()).toBe(`CentOS Sources <bugs@centos.org>|${subject.importAt.getTime() / 1000}|import ${subject.nvr}`);
        const tag = await git(["--git-dir", workDir, "cat-file", "tag", "FETCH_HEAD"]);
        expect(tag).toContain(`\ntagger CentOS Sources <bugs@centos.org> ${subject.importAt.getTime() / 1000} +0000\n`);
      } finally {
        await rm(workDir, { recursive: true, force: true });
      }
    });

    it("answers 404 for a package that is never imported", async () => {
      const extendedOnly = simulator.timeline.packages.find(
        (item) => !item.isMainStream && !simulator.timeline.packages.some((other) => other.name === item.name && other.importAt),
      )!;
      for (const name of [extendedOnly.name, "no-such-package"]) {
        expect((await fetch(`${simulator.gitBaseUrl}/${name}.git/info/refs?service=git-upload-pack`)).status).toBe(404);
      }
      await expect(lsRemote(`${simulator.gitBaseUrl}/no-such-package.git`, 2)).rejects.toThrow(/not found|404/i);
    });

    it("lists visible tags and gives the import instant as commit time in Pagure's API", async () => {
      clock.set(new Date(subject.importAt.getTime() - 1000));
      const before = (await (await fetch(`${simulator.pagureApiUrl}/rpms/${subject.name}/git/tags?with_commits=true`)).json()) as object;
      expect(before).toEqual({ total_tags: 0, tags: {} });

      clock.set(new Date(subject.importAt.getTime() + 3_600_000));
      const tags = (await (await fetch(`${simulator.pagureApiUrl}/rpms/${subject.name}/git/tags?with_commits=true`)).json()) as {
        total_tags: number;
        tags: Record<string, string>;
      };
      expect(tags.total_tags).toBe(1);
      const sha = tags.tags[subject.tag];
      expect(sha).toMatch(/^[0-9a-f]{40}$/);
      const names = (await (await fetch(`${simulator.pagureApiUrl}/rpms/${subject.name}/git/tags`)).json()) as object;
      expect(names).toEqual({ total_tags: 1, tags: [subject.tag] });

      const info = (await (await fetch(`${simulator.pagureApiUrl}/rpms/${subject.name}/c/${sha}/info`)).json()) as Record<string, unknown>;
      expect(info).toMatchObject({ author: "CentOS Sources", hash: sha, message: `import ${subject.nvr}\n`, parent_ids: [] });
      expect(new Date(Number(info.commit_time) * 1000)).toEqual(subject.importAt);

      const unknown = await fetch(`${simulator.pagureApiUrl}/rpms/${subject.name}/c/${"0".repeat(40)}/info`);
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toMatchObject({ error_code: "ENOCOMMIT" });
      const noProject = await fetch(`${simulator.pagureApiUrl}/rpms/no-such-package/git/tags?with_commits=true`);
      expect(noProject.status).toBe(404);
      expect(await noProject.json()).toMatchObject({ error_code: "ENOPROJECT" });
    });

    it("serves a web page per commit for evidence links", async () => {
      clock.set(subject.importAt);
      const tags = (await (await fetch(`${simulator.pagureApiUrl}/rpms/${subject.name}/git/tags?with_commits=1`)).json()) as {
        tags: Record<string, string>;
      };
      const page = await fetch(`${simulator.url}/rpms/${subject.name}/c/${tags.tags[subject.tag]}`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain(`rpms/${subject.name}`);
      expect(html).toContain(subject.tag);
      expect(html).toContain(subject.importAt.toISOString());
    });

    it("reuses the repositories it built on a second start, on its own clock", async () => {
      const otherClock = createManualClock(new Date("2023-09-30T00:00:00Z"));
      const listStores = async () => (await readdir(dataDir)).filter((entry) => entry.startsWith("store-")).sort();
      const storesBefore = await listStores();
      const second = await startSimulator({ scenario: "june-2023", clock: otherClock, dataDir });
      try {
        expect(await listStores()).toEqual(storesBefore);
        clock.set(new Date(subject.importAt.getTime() - 1000));
        expect(await lsRemote(`${second.gitBaseUrl}/${subject.name}.git`, 2)).toHaveLength(2);
        expect(await lsRemote(`${simulator.gitBaseUrl}/${subject.name}.git`, 2)).toEqual([]);
      } finally {
        await second.close();
      }
    });
  });

  describe("faults", () => {
    const fetchLatestDocumentPath = async () => parseChanges(await (await fetch(`${simulator.csafBaseUrl}changes.csv`)).text())[0].path;

    it("drops the connection without an answer when down", async () => {
      simulator.setFault("csaf", { mode: "down" });
      await expect(fetch(`${simulator.csafBaseUrl}changes.csv`)).rejects.toThrow();
      simulator.setFault("git", { mode: "down" });
      await expect(lsRemote(`${simulator.gitBaseUrl}/${subject.name}.git`, 2)).rejects.toThrow();
      expect(simulator.stats().faulted).toBe(2);
    });

    it("answers 500", async () => {
      simulator.setFault("git", { mode: "http-500" });
      expect((await fetch(`${simulator.pagureApiUrl}/rpms/${subject.name}/git/tags?with_commits=true`)).status).toBe(500);
      expect((await fetch(`${simulator.csafBaseUrl}changes.csv`)).status).toBe(200);
    });

    it("answers an HTML page with status 200", async () => {
      simulator.setFault("csaf", { mode: "html-200" });
      const response = await fetch(`${simulator.csafBaseUrl}changes.csv`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/html/);
      expect(await response.text()).toMatch(/^<!DOCTYPE html>/);
    });

    it("cuts advisory JSON in half but keeps changes.csv valid", async () => {
      simulator.setFault("csaf", { mode: "truncated-json" });
      const documentPath = await fetchLatestDocumentPath();
      const text = await (await fetch(`${simulator.csafBaseUrl}${documentPath}`)).text();
      expect(text.length).toBeGreaterThan(100);
      expect(() => JSON.parse(text)).toThrow(SyntaxError);
      simulator.setFault("git", { mode: "truncated-json" });
      const tags = await (await fetch(`${simulator.pagureApiUrl}/rpms/${subject.name}/git/tags?with_commits=true`)).text();
      expect(() => JSON.parse(tags)).toThrow(SyntaxError);
    });

    it("streams an oversized but valid-looking body of the requested size", async () => {
      const bytes = 3 * 1024 * 1024;
      const documentPath = await fetchLatestDocumentPath();
      simulator.setFault("csaf", { mode: "oversized", bytes });
      const document = await fetch(`${simulator.csafBaseUrl}${documentPath}`);
      expect(document.headers.get("content-length")).toBeNull();
      const text = await document.text();
      expect(Buffer.byteLength(text)).toBe(bytes);
      expect(JSON.parse(text)).toMatchObject({ document: { category: "csaf_security_advisory" } });
      const changes = await (await fetch(`${simulator.csafBaseUrl}changes.csv`)).text();
      expect(Buffer.byteLength(changes)).toBe(bytes);
      expect(changes.split("\n")[0]).toMatch(CHANGES_ROW);
    });

    it("writes garbage source purls in advisories", async () => {
      simulator.setFault("csaf", { mode: "invalid-purl" });
      const documentPath = await fetchLatestDocumentPath();
      const text = await (await fetch(`${simulator.csafBaseUrl}${documentPath}`)).text();
      expect(text).toContain('"purl": "pkg:rpm/redhat/@@@"');
      expect(text).not.toContain("?arch=src");
    });

    it("answers late when slow", async () => {
      simulator.setFault("csaf", { mode: "slow", delayMs: 300 });
      const startedAt = performance.now();
      expect((await fetch(`${simulator.csafBaseUrl}changes.csv`)).status).toBe(200);
      expect(performance.now() - startedAt).toBeGreaterThanOrEqual(290);
    });

    it("limits a fault to the paths that contain `pathIncludes`", async () => {
      simulator.setFault("csaf", { mode: "http-500", pathIncludes: ".json" });
      expect((await fetch(`${simulator.csafBaseUrl}changes.csv`)).status).toBe(200);
      expect((await fetch(`${simulator.csafBaseUrl}${await fetchLatestDocumentPath()}`)).status).toBe(500);
    });

    it("takes faults over HTTP and reports the clock", async () => {
      const set = await fetch(`${simulator.url}/_sim/faults`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ target: "git", fault: { mode: "http-500" } }),
      });
      expect(set.status).toBe(200);
      expect(simulator.getFault("git")).toEqual({ mode: "http-500" });
      const invalid = await fetch(`${simulator.url}/_sim/faults`, {
        method: "POST",
        body: JSON.stringify({ target: "git", fault: { mode: "explode" } }),
      });
      expect(invalid.status).toBe(400);
      await fetch(`${simulator.url}/_sim/faults`, { method: "POST", body: JSON.stringify({ target: "git", fault: null }) });
      expect(simulator.getFault("git")).toBeNull();
      expect(await (await fetch(`${simulator.url}/_sim/clock`)).json()).toEqual({ now: "2023-06-01T00:00:00.000Z" });
    });
  });
});
