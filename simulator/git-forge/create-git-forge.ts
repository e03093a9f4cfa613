import { mkdir, readdir, rename, rm, unlink, writeFile } from "node:fs/promises";
import type http from "node:http";
import path from "node:path";
import type { Fault } from "../faults";
import { handleGitHttpRequest } from "../git-http-server";
import { escapeHtml, sendJson, sendText } from "../http-responses";
import type { Clock } from "../scenario-clock";
import type { ForgeCommit, ForgeRepository, ForgeStore } from "./build-forge-store";

const PACKAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

export type ForgePathKind = "git" | "pagure-tags" | "pagure-commit" | "commit-page" | "forge-other";

export interface GitForge {
  projectRoot: string;
  getPathKind(pathname: string): ForgePathKind;
  handle(request: http.IncomingMessage, response: http.ServerResponse, url: URL, fault: Fault | null): Promise<void>;
  close(): Promise<void>;
}

interface RepositoryState {
  repository: ForgeRepository;
  gitDir: string;
  /** How many commits (a prefix of `commits`) have their refs written; refs of later ones are absent. */
  writtenCount: number;
  lock: Promise<void>;
}

function countVisible(commits: ForgeCommit[], now: Date): number {
  let count = 0;
  while (count < commits.length && commits[count].importAt.getTime() <= now.getTime()) count++;
  return count;
}

async function writeLooseRef(gitDir: string, ref: string, sha: string): Promise<void> {
  const refPath = path.join(gitDir, ref);
  await mkdir(path.dirname(refPath), { recursive: true });
  await writeFile(`${refPath}.lock`, `${sha}\n`);
  await rename(`${refPath}.lock`, refPath);
}

async function removeLooseRef(gitDir: string, ref: string): Promise<void> {
  await unlink(path.join(gitDir, ref)).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") throw error;
  });
}

/** Removes instance folders left by simulators that are no longer running. */
async function removeStaleInstances(instancesDir: string): Promise<void> {
  const entries = await readdir(instancesDir).catch(() => [] as string[]);
  await Promise.all(
    entries.map(async (entry) => {
      const pid = Number(entry.split("-")[0]);
      if (!Number.isInteger(pid) || pid === process.pid) return;
      try {
        process.kill(pid, 0);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ESRCH") await rm(path.join(instancesDir, entry), { recursive: true, force: true });
      }
    }),
  );
}

/**
 * git.centos.org as seen at `clock.now()`: smart-HTTP repositories `/rpms/<name>.git`, the Pagure API under
 * `/api/0/` and a web page per commit. Each simulator gets its own repositories (refs only; objects come from the
 * shared store), so simulators on different clocks never see each other's tags.
 */
export async function createGitForge(options: { store: ForgeStore; clock: Clock; dataDir: string }): Promise<GitForge> {
  const { store, clock } = options;
  const instancesDir = path.resolve(options.dataDir, "instances");
  await removeStaleInstances(instancesDir);
  const projectRoot = path.join(instancesDir, `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`);

  const states = new Map<string, RepositoryState>();
  await Promise.all(
    [...store.repositories.values()].map(async (repository) => {
      const gitDir = path.join(projectRoot, "rpms", `${repository.name}.git`);
      await mkdir(path.join(gitDir, "objects", "info"), { recursive: true });
      await mkdir(path.join(gitDir, "refs", "heads"), { recursive: true });
      await mkdir(path.join(gitDir, "refs", "tags"), { recursive: true });
      await writeFile(path.join(gitDir, "HEAD"), `ref: refs/heads/${repository.defaultBranch}\n`);
      await writeFile(path.join(gitDir, "config"), "[core]\n\trepositoryformatversion = 0\n\tbare = true\n");
      await writeFile(path.join(gitDir, "objects", "info", "alternates"), `${store.objectsPath}\n`);
      states.set(repository.name, { repository, gitDir, writtenCount: 0, lock: Promise.resolve() });
    }),
  );

  /** Makes the refs on disk match the clock: tags and branch heads of imports at or before now, nothing later. */
  const syncRefs = (state: RepositoryState, now: Date): Promise<void> => {
    const run = async () => {
      const { commits } = state.repository;
      const visibleCount = countVisible(commits, now);
      if (visibleCount === state.writtenCount) return;
      const low = Math.min(visibleCount, state.writtenCount);
      const high = Math.max(visibleCount, state.writtenCount);
      for (let index = low; index < high; index++) {
        const ref = `refs/tags/${commits[index].tag}`;
        if (index < visibleCount) await writeLooseRef(state.gitDir, ref, commits[index].sha);
        else await removeLooseRef(state.gitDir, ref);
      }
      for (const branch of new Set(commits.map((commit) => commit.branch))) {
        const head = commits.slice(0, visibleCount).findLast((commit) => commit.branch === branch);
        if (head) await writeLooseRef(state.gitDir, `refs/heads/${branch}`, head.sha);
        else await removeLooseRef(state.gitDir, `refs/heads/${branch}`);
      }
      state.writtenCount = visibleCount;
    };
    state.lock = state.lock.then(run, run);
    return state.lock;
  };

  const getVisibleCommits = (state: RepositoryState, now: Date) => state.repository.commits.slice(0, countVisible(state.repository.commits, now));

  const getPathKind = (pathname: string): ForgePathKind => {
    if (/^\/rpms\/[^/]+\.git(\/|$)/.test(pathname)) return "git";
    if (/^\/api\/0\/rpms\/[^/]+\/git\/tags\/?$/.test(pathname)) return "pagure-tags";
    if (/^\/api\/0\/rpms\/[^/]+\/c\/[0-9a-f]+\/info\/?$/.test(pathname)) return "pagure-commit";
    if (/^\/rpms\/[^/]+\/c\/[0-9a-f]+\/?$/.test(pathname)) return "commit-page";
    return "forge-other";
  };

  const sendPagureJson = (response: http.ServerResponse, status: number, value: unknown, fault: Fault | null) => {
    if (fault?.mode !== "truncated-json") return sendJson(response, status, value);
    const text = JSON.stringify(value, null, 2);
    sendText(response, status, text.slice(0, Math.floor(text.length / 2)), "application/json");
  };

  const findState = (name: string) => (PACKAGE_NAME.test(name) ? states.get(name) : undefined);

  return {
    projectRoot,
    getPathKind,
    async handle(request, response, url, fault) {
      const now = clock.now();
      const pathname = decodeURIComponent(url.pathname);
      const kind = getPathKind(pathname);
      const segments = pathname.split("/");
      if (kind === "git") {
        const state = findState(segments[2].replace(/\.git$/, ""));
        if (!state) return sendText(response, 404, "Repository not found\n");
        await syncRefs(state, now);
        handleGitHttpRequest(request, response, { projectRoot, pathInfo: pathname, queryString: url.search.replace(/^\?/, "") });
        return;
      }
      if (kind === "pagure-tags") {
        const state = findState(segments[4]);
        if (!state) return sendPagureJson(response, 404, { error: "Project not found", error_code: "ENOPROJECT" }, fault);
        const visible = getVisibleCommits(state, now).sort((a, b) => a.tag.localeCompare(b.tag));
        const withCommits = ["1", "true", "t", "y", "yes"].includes((url.searchParams.get("with_commits") ?? "").toLowerCase());
        const tags = withCommits ? Object.fromEntries(visible.map((commit) => [commit.tag, commit.sha])) : visible.map((commit) => commit.tag);
        return sendPagureJson(response, 200, { total_tags: visible.length, tags }, fault);
      }
      if (kind === "pagure-commit" || kind === "commit-page") {
        const isApi = kind === "pagure-commit";
        const state = findState(segments[isApi ? 4 : 2]);
        const sha = segments[isApi ? 6 : 4];
        const commit = state && getVisibleCommits(state, now).find((candidate) => candidate.sha === sha);
        if (!isApi) {
          if (!state || !commit) return sendText(response, 404, "<!DOCTYPE html><title>Not found</title><h1>Page not found (404)</h1>\n", "text/html");
          return sendText(response, 200, renderCommitPage(state.repository.name, commit), "text/html; charset=utf-8");
        }
        if (!state) return sendPagureJson(response, 404, { error: "Project not found", error_code: "ENOPROJECT" }, fault);
        if (!commit) return sendPagureJson(response, 404, { error: "This commit could not be found in this repo", error_code: "ENOCOMMIT" }, fault);
        const info = {
          author: "CentOS Sources",
          commit_time: Math.floor(commit.importAt.getTime() / 1000),
          commit_time_offset: 0,
          committer: "CentOS Sources",
          hash: commit.sha,
          message: commit.message,
          parent_ids: commit.parentSha ? [commit.parentSha] : [],
          tree_id: commit.treeSha,
        };
        return sendPagureJson(response, 200, info, fault);
      }
      sendText(response, 404, "Not found\n");
    },
    close: () => rm(projectRoot, { recursive: true, force: true }),
  };
}

function renderCommitPage(name: string, commit: ForgeCommit): string {
  const committedAt = commit.importAt.toISOString().replace("T", " ").replace(/\.\d{3}Z$/, " UTC");
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Commit ${commit.sha.slice(0, 10)} - rpms/${escapeHtml(name)} - CentOS Git server</title></head>
<body>
<h1>rpms/${escapeHtml(name)}</h1>
<p>Commit <code>${commit.sha}</code> on branch <code>${commit.branch}</code>, tag <code>${escapeHtml(commit.tag)}</code></p>
<p>Authored by CentOS Sources &lt;bugs@centos.org&gt;, committed <time datetime="${commit.importAt.toISOString()}">${committedAt}</time></p>
<pre>${escapeHtml(commit.message)}</pre>
<p><a href="/rpms/${encodeURIComponent(name)}.git">Clone URL: /rpms/${escapeHtml(name)}.git</a></p>
</body></html>
`;
}
