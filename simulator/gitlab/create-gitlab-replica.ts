import { createHash } from "node:crypto";
import type http from "node:http";
import { escapeHtml, sendJson, sendText } from "../http-responses";
import type { Clock } from "../scenario-clock";
import type { ScenarioTimeline } from "../scenarios/june-2023";
import { computeMirrorPublications } from "../scenarios/mirror-publications";
import type { SimulatorReplica } from "../simulator-replica";

const PROJECT_NAMESPACE = "redhat/centos-stream/rpms";
const DEFAULT_PER_PAGE = 20;
const MAX_PER_PAGE = 100;
const WINDOW_MS = 60_000;

export interface GitLabReplicaTag {
  name: string;
  sha: string;
  nvr: string;
  publishedAt: Date;
}

export interface GitLabReplica extends SimulatorReplica {
  /** Tags of one package visible at `clock.now()`, newest first (GitLab's default order). */
  listVisibleTags(packageName: string): GitLabReplicaTag[];
  stats(): { requests: number; rateLimited: number };
}

/**
 * CentOS Stream on gitlab.com: API v4 tag listings of `redhat/centos-stream/rpms/<name>` (paged like GitLab,
 * with `x-next-page`, `x-total-pages`, `Link`), tag web pages, 404 for unknown projects, and 429 + Retry-After
 * once more than `requestsPerMinute` API requests arrive within one minute of `rateLimitNow` (default: real time,
 * because clients wait out Retry-After in real time).
 */
export function createGitLabReplica(options: {
  timeline: ScenarioTimeline;
  clock: Clock;
  /** e.g. "/gitlab" */
  basePath: string;
  requestsPerMinute?: number;
  rateLimitNow?: () => number;
  /** GitLab caps per_page at 100; a lower cap makes paging visible in tests. */
  maxPerPage?: number;
}): GitLabReplica {
  const { clock } = options;
  const basePath = options.basePath.replace(/\/+$/, "");
  const rateLimitNow = options.rateLimitNow ?? Date.now;
  const tagsByName = new Map<string, GitLabReplicaTag[]>();
  for (const publication of computeMirrorPublications(options.timeline, "centos-stream")) {
    const tags = tagsByName.get(publication.name) ?? [];
    if (!tags.some((tag) => tag.name === publication.nvr)) {
      tags.push({
        name: publication.nvr,
        nvr: publication.nvr,
        sha: createHash("sha1").update(`centos-stream/${publication.nvr}`).digest("hex"),
        publishedAt: publication.publishedAt,
      });
    }
    tagsByName.set(publication.name, tags);
  }
  for (const tags of tagsByName.values())
    tags.sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime() || a.name.localeCompare(b.name));

  const counters = { requests: 0, rateLimited: 0 };
  let windowStartMs = Number.NEGATIVE_INFINITY;
  let requestsInWindow = 0;

  const listVisibleTags = (packageName: string) => {
    const nowMs = clock.now().getTime();
    return (tagsByName.get(packageName) ?? []).filter((tag) => tag.publishedAt.getTime() <= nowMs);
  };

  const apiPrefix = `${basePath}/api/v4/projects/`;
  const tagsPath = new RegExp(`^${escapeRegExp(apiPrefix)}(.+)/repository/tags/?$`);
  const tagPage = new RegExp(`^${escapeRegExp(`${basePath}/${PROJECT_NAMESPACE}/`)}([^/]+)/-/tags/(.+)$`);

  const isOverBudget = (response: http.ServerResponse): boolean => {
    if (options.requestsPerMinute === undefined) return false;
    const nowMs = rateLimitNow();
    if (nowMs >= windowStartMs + WINDOW_MS) {
      windowStartMs = nowMs;
      requestsInWindow = 0;
    }
    requestsInWindow++;
    const resetMs = windowStartMs + WINDOW_MS;
    response.setHeader("RateLimit-Limit", String(options.requestsPerMinute));
    response.setHeader("RateLimit-Remaining", String(Math.max(0, options.requestsPerMinute - requestsInWindow)));
    response.setHeader("RateLimit-Reset", String(Math.ceil(resetMs / 1000)));
    if (requestsInWindow <= options.requestsPerMinute) return false;
    counters.rateLimited++;
    response.setHeader("Retry-After", String(Math.max(1, Math.ceil((resetMs - nowMs) / 1000))));
    sendText(response, 429, "Retry later\n");
    return true;
  };

  const handleTags = (request: http.IncomingMessage, response: http.ServerResponse, projectPath: string) => {
    const name = projectPath.startsWith(`${PROJECT_NAMESPACE}/`) ? projectPath.slice(PROJECT_NAMESPACE.length + 1) : null;
    if (name === null || name.includes("/") || !tagsByName.has(name)) return sendJson(response, 404, { message: "404 Project Not Found" });
    const url = new URL(request.url ?? "/", `http://${request.headers.host ?? "127.0.0.1"}`);
    const search = url.searchParams.get("search") ?? "";
    const perPage = clampInteger(url.searchParams.get("per_page"), DEFAULT_PER_PAGE, 1, options.maxPerPage ?? MAX_PER_PAGE);
    const page = clampInteger(url.searchParams.get("page"), 1, 1, Number.MAX_SAFE_INTEGER);
    const matching = listVisibleTags(name).filter((tag) => matchesSearch(tag.name, search));
    const totalPages = Math.max(1, Math.ceil(matching.length / perPage));
    const items = matching.slice((page - 1) * perPage, page * perPage);

    const pageUrl = (target: number) => {
      const link = new URL(url);
      link.searchParams.set("page", String(target));
      link.searchParams.set("per_page", String(perPage));
      return link.toString();
    };
    const links = [
      ...(page > 1 ? [`<${pageUrl(page - 1)}>; rel="prev"`] : []),
      ...(page < totalPages ? [`<${pageUrl(page + 1)}>; rel="next"`] : []),
      `<${pageUrl(1)}>; rel="first"`,
      `<${pageUrl(totalPages)}>; rel="last"`,
    ];
    response.setHeader("x-page", String(page));
    response.setHeader("x-per-page", String(perPage));
    response.setHeader("x-total", String(matching.length));
    response.setHeader("x-total-pages", String(totalPages));
    response.setHeader("x-next-page", page < totalPages ? String(page + 1) : "");
    response.setHeader("x-prev-page", page > 1 ? String(page - 1) : "");
    response.setHeader("Link", links.join(", "));
    sendJson(
      response,
      200,
      items.map((tag) => renderTag(tag)),
    );
  };

  return {
    listVisibleTags,
    stats: () => ({ ...counters }),
    handle(request, response, pathname) {
      if (pathname !== basePath && !pathname.startsWith(`${basePath}/`)) return false;
      counters.requests++;
      const tagsMatch = tagsPath.exec(pathname);
      if (tagsMatch) {
        if (!isOverBudget(response)) handleTags(request, response, tagsMatch[1]);
        return true;
      }
      if (pathname === `${basePath}/api/v4/version`) {
        if (!isOverBudget(response)) sendJson(response, 200, { version: "17.0.0-ee", revision: "srcwatch" });
        return true;
      }
      if (pathname.startsWith(`${basePath}/api/v4/`)) {
        sendJson(response, 404, { error: "404 Not Found" });
        return true;
      }
      const pageMatch = tagPage.exec(pathname);
      const tag = pageMatch ? listVisibleTags(pageMatch[1]).find((candidate) => candidate.name === pageMatch[2]) : undefined;
      if (!pageMatch || !tag) {
        sendText(response, 404, "<!DOCTYPE html><title>Not Found</title><h1>404: Page not found</h1>\n", "text/html; charset=utf-8");
        return true;
      }
      sendText(response, 200, renderTagPage(pageMatch[1], tag), "text/html; charset=utf-8");
      return true;
    },
  };
}

function renderTag(tag: GitLabReplicaTag) {
  const createdAt = tag.publishedAt.toISOString();
  return {
    name: tag.name,
    message: "",
    target: tag.sha,
    commit: {
      id: tag.sha,
      short_id: tag.sha.slice(0, 8),
      created_at: createdAt,
      parent_ids: [],
      title: `Import ${tag.nvr}`,
      message: `Import ${tag.nvr}\n`,
      author_name: "CentOS Stream Bot",
      authored_date: createdAt,
      committer_name: "CentOS Stream Bot",
      committed_date: createdAt,
    },
    release: null,
    protected: false,
    created_at: null,
  };
}

function renderTagPage(name: string, tag: GitLabReplicaTag): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(tag.name)} · Tags · ${escapeHtml(PROJECT_NAMESPACE)}/${escapeHtml(name)} · GitLab</title></head>
<body>
<h1>Tag ${escapeHtml(tag.name)}</h1>
<p>Commit <code>${tag.sha}</code> · <time datetime="${tag.publishedAt.toISOString()}">${tag.publishedAt.toISOString()}</time></p>
</body></html>
`;
}

/** GitLab's `search`: `^prefix`, `suffix$`, or a substring. */
function matchesSearch(tagName: string, search: string): boolean {
  if (search === "") return true;
  if (search.startsWith("^")) return tagName.startsWith(search.slice(1));
  if (search.endsWith("$")) return tagName.endsWith(search.slice(0, -1));
  return tagName.includes(search);
}

function clampInteger(text: string | null, fallback: number, min: number, max: number): number {
  const value = Number.parseInt(text ?? "", 10);
  return Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
