import { handleGitHttpRequest, readGitRequest, type GitRequestKind } from "../git-http-server";
import { buildForgeStore, type ForgeCommit, type ForgeImport } from "../git-forge/build-forge-store";
import { createForgeRepositories } from "../git-forge/create-forge-repositories";
import { escapeHtml, sendText } from "../http-responses";
import type { Clock } from "../scenario-clock";
import type { ScenarioTimeline } from "../scenarios/june-2023";
import { computeMirrorPublications } from "../scenarios/mirror-publications";
import type { SimulatorReplica } from "../simulator-replica";

const OPENELA_BOT = "openela-mship[bot] <149573839+openela-mship[bot]@users.noreply.github.com>";

export interface OpenElaReplica extends SimulatorReplica {
  /** Repositories live at `<projectRoot>/<basePath without "/">/<name>.git`. */
  projectRoot: string;
  stats(): { requests: number; missingRepository: number; gitRequests: Record<GitRequestKind, number> };
  close(): Promise<void>;
}

/** OpenELA's imports in the scenario: annotated tags `imports/el<major>/<nvr>` on branch `el<major>`, by its bot. */
export function listOpenElaImports(timeline: ScenarioTimeline): ForgeImport[] {
  return computeMirrorPublications(timeline, "openela").map((publication) => {
    const tag = `imports/el${publication.major}/${publication.nvr}`;
    return {
      repositoryName: publication.name,
      branch: `el${publication.major}`,
      tag,
      nvr: publication.nvr,
      major: publication.major,
      importAt: publication.publishedAt,
      message: `import ${publication.nvr}\n`,
      author: OPENELA_BOT,
      tagger: OPENELA_BOT,
    };
  });
}

/**
 * github.com/openela-main as seen at `clock.now()`: `<basePath>/<name>.git` over real git smart HTTP, a commit page
 * `<basePath>/<name>/commit/<sha>`, and 401 for a repository that does not exist (yet) — GitHub's answer to git
 * clients for a missing public repository. Like GitHub, its upload-pack offers `filter`.
 */
export async function createOpenElaReplica(options: {
  timeline: ScenarioTimeline;
  clock: Clock;
  /** e.g. "/openela" */
  basePath: string;
  dataDir: string;
}): Promise<OpenElaReplica> {
  const { clock } = options;
  const basePath = options.basePath.replace(/\/+$/, "");
  const namespace = basePath.replace(/^\/+/, "");
  if (!/^[a-z0-9][a-z0-9-]*$/.test(namespace)) throw new RangeError(`basePath must be one path segment, got "${options.basePath}"`);
  const store = await buildForgeStore({ imports: listOpenElaImports(options.timeline), dataDir: options.dataDir });
  const repositories = await createForgeRepositories({ store, dataDir: options.dataDir, namespace });
  const counters = { requests: 0, missingRepository: 0 };
  const gitRequests: Record<GitRequestKind, number> = { "info-refs": 0, "ls-refs": 0, fetch: 0, other: 0 };
  const gitPath = new RegExp(`^${escapeRegExp(basePath)}/([^/]+)\\.git(?:/|$)`);
  const commitPath = new RegExp(`^${escapeRegExp(basePath)}/([^/]+)/commit/([0-9a-f]{40})/?$`);

  return {
    projectRoot: repositories.projectRoot,
    stats: () => ({ ...counters, gitRequests: { ...gitRequests } }),
    close: repositories.close,
    async handle(request, response, pathname) {
      if (!pathname.startsWith(`${basePath}/`)) return false;
      counters.requests++;
      const now = clock.now();
      const gitMatch = gitPath.exec(pathname);
      if (gitMatch) {
        const { kind, body } = await readGitRequest(request, pathname);
        gitRequests[kind]++;
        const state = repositories.findRepository(gitMatch[1]);
        if (!state || repositories.listVisibleCommits(state, now).length === 0) {
          counters.missingRepository++;
          response.setHeader("WWW-Authenticate", 'Basic realm="GitHub"');
          sendText(response, 401, "Invalid username or token. Password authentication is not supported for Git operations.\n");
          return true;
        }
        await repositories.syncRefs(state, now);
        const queryString = (request.url ?? "").split("?")[1] ?? "";
        handleGitHttpRequest(request, response, {
          projectRoot: repositories.projectRoot,
          pathInfo: pathname,
          queryString,
          allowFilter: true,
          body,
        });
        return true;
      }
      const commitMatch = commitPath.exec(pathname);
      const state = commitMatch ? repositories.findRepository(commitMatch[1]) : undefined;
      const commit = state && repositories.listVisibleCommits(state, now).find((candidate) => candidate.sha === commitMatch?.[2]);
      if (!state || !commit) {
        sendText(response, 404, "<!DOCTYPE html><title>Page not found · GitHub</title><h1>404</h1>\n", "text/html; charset=utf-8");
        return true;
      }
      sendText(response, 200, renderCommitPage(state.repository.name, commit), "text/html; charset=utf-8");
      return true;
    },
  };
}

function renderCommitPage(name: string, commit: ForgeCommit): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(commit.message.trim())} · openela-main/${escapeHtml(name)}@${commit.sha.slice(0, 7)} · GitHub</title></head>
<body>
<h1>${escapeHtml(commit.message.trim())}</h1>
<p>openela-mship[bot] committed <relative-time datetime="${commit.importAt.toISOString()}">${commit.importAt.toISOString()}</relative-time></p>
<p>Commit <code>${commit.sha}</code> on <code>${commit.branch}</code>, tag <code>${escapeHtml(commit.tag)}</code></p>
</body></html>
`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
