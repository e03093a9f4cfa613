import { z } from "zod";
import type { GitLabMirrorConfig } from "../../core/config";
import { distMajor, parseNvr } from "../../core/nevra";
import type { Evidence } from "../../core/types";
import type { FetchError, HttpClient } from "../http/types";
import type { MirrorPollInput, MirrorPollResult, MirrorSource } from "../source-contracts";
import { parseJsonBody } from "../parse-json-body";
import { createRequestBudget, type RequestBudget } from "./create-request-budget";

/** GitLab API v4 `GET /projects/:id/repository/tags`: the fields we read. */
export const GitLabTag = z.object({
  name: z.string().min(1),
  /** Set for annotated tags on recent GitLab versions, else null or absent. */
  created_at: z.iso.datetime({ offset: true }).nullish(),
  commit: z
    .object({
      id: z.string().regex(/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/),
      created_at: z.iso.datetime({ offset: true }).nullish(),
    })
    .nullish(),
});
export type GitLabTag = z.infer<typeof GitLabTag>;

export const GitLabTagPage = z.array(GitLabTag);
export type GitLabTagPage = z.infer<typeof GitLabTagPage>;

/** Where the next poll starts, so that names skipped when the budget ran out are read first next time. */
export const GitLabPollState = z.object({ nextName: z.string().nullable() });
export type GitLabPollState = z.infer<typeof GitLabPollState>;

const PER_PAGE = 100;
const MAX_PAGES_PER_PACKAGE = 50;

type PackageListing = { ok: true; builds: Evidence[] } | { ok: false; error: FetchError };

export function createGitLabSource(
  options: { now?: () => number; sleep?: (ms: number) => Promise<void> } = {},
): MirrorSource<GitLabMirrorConfig> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  // Kept across polls: two polls close together share one minute's budget.
  const budgets = new Map<string, { requestsPerMinute: number; budget: RequestBudget }>();
  const findBudget = (mirror: GitLabMirrorConfig) => {
    let entry = budgets.get(mirror.id);
    if (!entry || entry.requestsPerMinute !== mirror.requestsPerMinute) {
      entry = {
        requestsPerMinute: mirror.requestsPerMinute,
        budget: createRequestBudget({ requestsPerMinute: mirror.requestsPerMinute, now, sleep }),
      };
      budgets.set(mirror.id, entry);
    }
    return entry.budget;
  };

  return {
    scope: "open-packages",
    listLinkUrls: (mirror) => [mirror.tagWebUrlTemplate],
    initialState: { nextName: null } satisfies GitLabPollState,
    async poll(input: MirrorPollInput<GitLabMirrorConfig>): Promise<MirrorPollResult> {
      const { mirror } = input;
      const report = input.onProgress ?? (() => {});
      const budget = findBudget(mirror);
      const state = GitLabPollState.safeParse(input.state);
      const majorsByName = listMirrorMajorsByName(input.openPackages, mirror.majors);
      const names = rotateToStartAt([...majorsByName.keys()].sort(), state.success ? state.data.nextName : null);

      if (names.length === 0) {
        await budget.take();
        const probe = await input.http.get(`${mirror.apiUrl.replace(/\/+$/, "")}/version`, {
          accept: "application/json",
          maxBytes: 64 * 1024,
        });
        const isAnswered =
          probe.ok || probe.error.kind === "http" || probe.error.kind === "too_large" || probe.error.kind === "rate_limited";
        return isAnswered ? { ok: true, builds: [], state: { nextName: null }, failures: [] } : { ok: false, error: probe.error };
      }

      const builds: Evidence[] = [];
      const failures: Array<{ item: string; error: FetchError }> = [];
      let rateLimit: FetchError | null = null;
      let done = 0;
      report({ step: "listing tags", done, total: names.length });
      let next = 0;
      const run = async () => {
        while (next < names.length && rateLimit === null) {
          const name = names[next++];
          const listing = await listGitLabBuilds({
            http: input.http,
            mirror,
            budget,
            packageName: name,
            majors: majorsByName.get(name) ?? [],
          });
          if (listing.ok) builds.push(...listing.builds);
          else {
            failures.push({ item: name, error: listing.error });
            if (listing.error.kind === "rate_limited") rateLimit ??= listing.error;
          }
          report({ step: "listing tags", done: ++done, total: names.length });
        }
      };
      await Promise.all(Array.from({ length: Math.min(mirror.concurrency, names.length) }, run));

      if (rateLimit) for (const name of names.slice(next)) failures.push({ item: name, error: rateLimit });
      if (failures.length === names.length) return { ok: false, error: failures[0].error };
      builds.sort((a, b) => a.ref.localeCompare(b.ref));
      const rateLimitedNames = new Set(failures.filter((failure) => failure.error.kind === "rate_limited").map((failure) => failure.item));
      const nextName = names.find((name) => rateLimitedNames.has(name)) ?? null;
      return { ok: true, builds, state: { nextName } satisfies GitLabPollState, failures };
    },
  };
}

/** CentOS Stream on gitlab.com: the open packages' tags through API v4, within `requestsPerMinute`. */
export const gitLabSource: MirrorSource<GitLabMirrorConfig> = createGitLabSource();

/** Every tag of one package's project that names one of its builds (`search=^<name>-`, following `x-next-page`). */
export async function listGitLabBuilds(input: {
  http: HttpClient;
  mirror: GitLabMirrorConfig;
  budget: RequestBudget;
  packageName: string;
  majors: readonly number[];
}): Promise<PackageListing> {
  const { http, mirror, packageName } = input;
  const projectPath = mirror.projectPathTemplate.replaceAll("{name}", packageName);
  const tagsUrl = `${mirror.apiUrl.replace(/\/+$/, "")}/projects/${encodeURIComponent(projectPath)}/repository/tags`;
  const tagPattern = buildTagPattern(mirror.tagTemplate, packageName);
  const builds: Evidence[] = [];
  let page = 1;
  for (let pageCount = 0; pageCount < MAX_PAGES_PER_PACKAGE; pageCount++) {
    const url = `${tagsUrl}?search=${encodeURIComponent(`^${packageName}-`)}&per_page=${PER_PAGE}&page=${page}`;
    await input.budget.take();
    const answer = await http.request(url, { method: "GET", headers: { accept: "application/json" } });
    if (!answer.ok) {
      if (answer.error.kind === "http" && answer.error.status === 404) return { ok: true, builds: [] };
      return answer;
    }
    const tags = parseJsonBody(answer.body, GitLabTagPage, "a GitLab tag list");
    if (!tags.ok) return { ok: false, error: { ...tags.error, url, status: answer.status } };
    for (const tag of tags.data) {
      const build = matchTag(tag, tagPattern, packageName, input.majors, mirror);
      if (build) builds.push(build);
    }
    const nextPage = (answer.headers["x-next-page"] ?? "").trim();
    if (nextPage === "") return { ok: true, builds };
    if (!/^\d+$/.test(nextPage) || Number(nextPage) <= page) {
      return { ok: false, error: { kind: "invalid_data", message: `x-next-page is not a page number after ${page}`, url } };
    }
    page = Number(nextPage);
  }
  return { ok: false, error: { kind: "too_large", message: `more than ${MAX_PAGES_PER_PACKAGE} pages of tags`, url: tagsUrl } };
}

interface TagPattern {
  regex: RegExp;
}

function buildTagPattern(template: string, packageName: string): TagPattern {
  let source = "";
  let last = 0;
  for (const match of template.matchAll(/\{(\w+)\}/g)) {
    const captures: Record<string, string> = { nvr: "(?<nvr>.+)", major: "(?<major>\\d+)", name: escapeRegExp(packageName) };
    source += escapeRegExp(template.slice(last, match.index)) + (captures[match[1]] ?? "[^/]+");
    last = match.index + match[0].length;
  }
  return { regex: new RegExp(`^${source}${escapeRegExp(template.slice(last))}$`) };
}

function matchTag(
  tag: GitLabTag,
  pattern: TagPattern,
  packageName: string,
  majors: readonly number[],
  mirror: GitLabMirrorConfig,
): Evidence | null {
  const groups = pattern.regex.exec(tag.name)?.groups;
  const nvr = groups?.nvr ? parseNvr(groups.nvr) : null;
  if (!nvr || nvr.name !== packageName) return null;
  const major = groups?.major ? Number(groups.major) : distMajor(nvr.release);
  if (major === null || !majors.includes(major)) return null;
  const publishedAtText = tag.commit?.created_at ?? tag.created_at ?? null;
  return {
    ...nvr,
    evidenceKind: "tag",
    epoch: null,
    major,
    moduleStream: null,
    ref: `refs/tags/${tag.name}`,
    url: mirror.tagWebUrlTemplate
      .replaceAll("{name}", encodeURIComponent(packageName).replace(/%2B/g, "+"))
      .replaceAll("{tag}", tag.name.split("/").map(encodeURIComponent).join("/")),
    commitSha: tag.commit?.id ?? null,
    publishedAt: publishedAtText ? new Date(publishedAtText) : null,
    publishedAtOrigin: publishedAtText ? "forge_api" : null,
  };
}

function listMirrorMajorsByName(
  openPackages: ReadonlyMap<string, ReadonlySet<number>>,
  mirrorMajors: readonly number[],
): Map<string, number[]> {
  const majorsByName = new Map<string, number[]>();
  for (const [name, majors] of openPackages) {
    const carried = [...majors].filter((major) => mirrorMajors.includes(major)).sort((a, b) => a - b);
    if (carried.length > 0) majorsByName.set(name, carried);
  }
  return majorsByName;
}

function rotateToStartAt(sortedNames: string[], nextName: string | null): string[] {
  if (nextName === null) return sortedNames;
  const start = sortedNames.findIndex((name) => name >= nextName);
  return start <= 0 ? sortedNames : [...sortedNames.slice(start), ...sortedNames.slice(0, start)];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
