import type http from "node:http";
import type { Fault } from "../faults";
import { handleGitHttpRequest, readGitRequest, type GitRequestKind } from "../git-http-server";
import { escapeHtml, sendJson, sendText } from "../http-responses";
import type { Clock } from "../scenario-clock";
import type { ForgeCommit, ForgeStore } from "./build-forge-store";
import { createForgeRepositories } from "./create-forge-repositories";

export type ForgePathKind = "git" | "pagure-tags" | "pagure-commit" | "commit-page" | "forge-other";

export interface GitForge {
  projectRoot: string;
  getPathKind(pathname: string): ForgePathKind;
  handle(request: http.IncomingMessage, response: http.ServerResponse, url: URL, fault: Fault | null): Promise<void>;
  /** Git requests answered, by kind. */
  stats(): { gitRequests: Record<GitRequestKind, number> };
  close(): Promise<void>;
}

/**
 * git.centos.org as seen at `clock.now()`: smart-HTTP repositories `/rpms/<name>.git`, the Pagure API under
 * `/api/0/` and a web page per commit. Its upload-pack offers no `filter` unless `allowFilter` (a plain
 * `git http-backend` does not), so srcwatch's cheapest fetch without it is exercised here and the filtered one on OpenELA.
 */
export async function createGitForge(options: {
  store: ForgeStore;
  clock: Clock;
  dataDir: string;
  allowFilter?: boolean;
}): Promise<GitForge> {
  const { clock } = options;
  const gitRequests: Record<GitRequestKind, number> = { "info-refs": 0, "ls-refs": 0, fetch: 0, other: 0 };
  const repositories = await createForgeRepositories({ store: options.store, dataDir: options.dataDir, namespace: "rpms" });
  const { projectRoot, syncRefs } = repositories;
  const getVisibleCommits = repositories.listVisibleCommits;

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

  const findState = repositories.findRepository;

  return {
    projectRoot,
    getPathKind,
    async handle(request, response, url, fault) {
      const now = clock.now();
      const pathname = decodeURIComponent(url.pathname);
      const kind = getPathKind(pathname);
      const segments = pathname.split("/");
      if (kind === "git") {
        const { kind: requestKind, body } = await readGitRequest(request, pathname);
        gitRequests[requestKind]++;
        const state = findState(segments[2].replace(/\.git$/, ""));
        if (!state) return sendText(response, 404, "Repository not found\n");
        await syncRefs(state, now);
        handleGitHttpRequest(request, response, {
          projectRoot,
          pathInfo: pathname,
          queryString: url.search.replace(/^\?/, ""),
          allowFilter: options.allowFilter ?? false,
          body,
        });
        return;
      }
      if (kind === "pagure-tags") {
        const state = findState(segments[4]);
        if (!state) return sendPagureJson(response, 404, { error: "Project not found", error_code: "ENOPROJECT" }, fault);
        const visible = getVisibleCommits(state, now).sort((a, b) => a.tag.localeCompare(b.tag));
        const withCommits = ["1", "true", "t", "y", "yes"].includes((url.searchParams.get("with_commits") ?? "").toLowerCase());
        const tags = withCommits
          ? Object.fromEntries(visible.map((commit) => [commit.tag, commit.sha]))
          : visible.map((commit) => commit.tag);
        return sendPagureJson(response, 200, { total_tags: visible.length, tags }, fault);
      }
      if (kind === "pagure-commit" || kind === "commit-page") {
        const isApi = kind === "pagure-commit";
        const state = findState(segments[isApi ? 4 : 2]);
        const sha = segments[isApi ? 6 : 4];
        const commit = state && getVisibleCommits(state, now).find((candidate) => candidate.sha === sha);
        if (!isApi) {
          if (!state || !commit)
            return sendText(response, 404, "<!DOCTYPE html><title>Not found</title><h1>Page not found (404)</h1>\n", "text/html");
          return sendText(response, 200, renderCommitPage(state.repository.name, commit), "text/html; charset=utf-8");
        }
        if (!state) return sendPagureJson(response, 404, { error: "Project not found", error_code: "ENOPROJECT" }, fault);
        if (!commit)
          return sendPagureJson(response, 404, { error: "This commit could not be found in this repo", error_code: "ENOCOMMIT" }, fault);
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
    stats: () => ({ gitRequests: { ...gitRequests } }),
    close: repositories.close,
  };
}

function renderCommitPage(name: string, commit: ForgeCommit): string {
  const committedAt = commit.importAt
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d{3}Z$/, " UTC");
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
