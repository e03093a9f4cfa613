import { z } from "zod";
import type { RockyApolloMirrorConfig } from "../../core/config";
import { distMajor, formatNvr } from "../../core/nevra";
import type { Evidence } from "../../core/types";
import type { FetchError, HttpClient } from "../http/types";
import type { MirrorPollInput, MirrorPollResult, MirrorSource } from "../source-contracts";
import { formatApolloMicroseconds, parseApolloMicroseconds } from "./apollo-microseconds";
import { parseApolloAdvisories, type RockyAdvisoriesPage, type RockyAdvisory } from "./parse-apollo-advisories";

export interface RockyApolloState {
  /** Apollo's published_at of the newest advisory read, to the microsecond: every advisory up to it has been read. */
  highWaterMark: string | null;
  /** Set when a poll stopped early (rate limit, bad page): where the next poll continues. */
  resume: { page: number; pageSize: number; newestPublishedAt: string | null } | null;
}

export const EMPTY_ROCKY_APOLLO_STATE: RockyApolloState = { highWaterMark: null, resume: null };

const StoredRockyApolloState = z.object({
  highWaterMark: z.iso.datetime({ offset: true }).nullable(),
  resume: z
    .object({
      page: z.number().int().min(1),
      pageSize: z.number().int().min(1),
      newestPublishedAt: z.iso.datetime({ offset: true }).nullable(),
    })
    .nullable()
    .catch(null),
});

/** A stored state that does not parse means a fresh full read, not a crash. */
export function readRockyApolloState(state: unknown): RockyApolloState {
  const parsed = StoredRockyApolloState.safeParse(state);
  return parsed.success ? parsed.data : EMPTY_ROCKY_APOLLO_STATE;
}

/** `{id}` (RLSA-2023:3722), `{idUnderscore}` (RLSA-2023_3722). */
export function fillAdvisoryUrl(template: string, id: string): string {
  return template.replaceAll("{idUnderscore}", id.replace(":", "_")).replaceAll("{id}", id);
}

/**
 * A package's major comes from its own dist tag (`.el10_1` → 10; Apollo's own one-digit-minor regex fails there),
 * else from the advisory when it affects a single major.
 */
export function listAdvisoryBuilds(
  advisory: RockyAdvisory,
  mirror: Pick<RockyApolloMirrorConfig, "majors" | "erratumWebUrlTemplate">,
): Evidence[] {
  const builds: Evidence[] = [];
  for (const pkg of advisory.sourcePackages) {
    const major = distMajor(pkg.release) ?? (advisory.majors.length === 1 ? advisory.majors[0] : null);
    if (major === null || !mirror.majors.includes(major)) continue;
    if (advisory.majors.length > 0 && !advisory.majors.includes(major)) continue;
    builds.push({
      evidenceKind: "erratum",
      name: pkg.name,
      epoch: pkg.epoch,
      version: pkg.version,
      release: pkg.release,
      major,
      moduleStream: pkg.moduleStream,
      ref: `${advisory.name}/${formatNvr(pkg)}`,
      url: fillAdvisoryUrl(mirror.erratumWebUrlTemplate, advisory.name),
      commitSha: null,
      publishedAt: advisory.publishedAt,
      publishedAtOrigin: advisory.publishedAt ? "erratum_date" : null,
    });
  }
  return builds;
}

/** `after_raw`: Apollo lists only what it published strictly after that instant (distro-tools#38; older servers ignore it). */
function buildPageUrl(apiUrl: string, page: number, pageSize: number, after: string | null): string {
  const query = new URLSearchParams({ page: String(page), size: String(pageSize) });
  if (after !== null) query.set("after_raw", after);
  return `${apiUrl.replace(/\/+$/, "")}/advisories/?${query}`;
}

function findPageNumber(url: string, fallback: number): number {
  const page = Number(new URL(url).searchParams.get("page"));
  return Number.isInteger(page) && page >= 1 ? page : fallback;
}

async function fetchAdvisoriesPage(
  http: HttpClient,
  url: string,
  maxBytes: number,
): Promise<{ ok: true; page: RockyAdvisoriesPage } | { ok: false; error: FetchError }> {
  const response = await http.get(url, { accept: "application/json", maxBytes });
  if (!response.ok) return response;
  const parsed = parseApolloAdvisories(response.body ?? Buffer.alloc(0));
  if (!parsed.ok) return { ok: false, error: { ...parsed.error, url, status: response.status } };
  return parsed;
}

const toIso = (microseconds: number | null) => (microseconds === null ? null : formatApolloMicroseconds(microseconds));

/**
 * Asks Apollo only for what it published after the high-water mark (the newest `published_at` of the last complete
 * read): first one advisory (`size=1`), which on a poll with nothing new is an empty page — one small request. Only when
 * something is new are the pages read, newest first, following `links.next`, until the list ends or reaches the mark (a
 * server that ignores `after_raw` lists everything). If a page cannot be read, the builds read so far are returned, the
 * mark stays, and the next poll resumes at that page (advisories are added at the head, so pages only shift towards the
 * end and nothing is skipped).
 */
async function pollRockyApollo(input: MirrorPollInput<RockyApolloMirrorConfig>): Promise<MirrorPollResult> {
  const { http, mirror } = input;
  const state = readRockyApolloState(input.state);
  const markMicroseconds = state.highWaterMark === null ? null : parseApolloMicroseconds(state.highWaterMark);
  const after = toIso(markMicroseconds);
  const isNew = (advisory: RockyAdvisory) =>
    advisory.publishedAtMicroseconds === null || markMicroseconds === null || advisory.publishedAtMicroseconds > markMicroseconds;
  const resume = state.resume && state.resume.pageSize === mirror.pageSize ? state.resume : null;

  if (resume === null && after !== null) {
    input.onProgress?.({ step: "asking Apollo for new advisories", done: 0, total: 1 });
    const probeUrl = buildPageUrl(mirror.apiUrl, 1, 1, after);
    const probe = await fetchAdvisoriesPage(http, probeUrl, mirror.maxResponseBytes);
    if (!probe.ok) return { ok: false, error: probe.error };
    const { advisories, rejected, total } = probe.page;
    input.onProgress?.({ step: "asking Apollo for new advisories", done: 1, total: 1 });
    if (rejected.length === 0 && !advisories.some(isNew))
      return { ok: true, builds: [], state: { highWaterMark: after, resume: null }, failures: [] };
    // Apollo counts only what is past the mark: a total of one means the probe already holds all of it.
    if (rejected.length === 0 && total <= 1) {
      const newest = Math.max(markMicroseconds ?? 0, ...advisories.map((advisory) => advisory.publishedAtMicroseconds ?? 0));
      const builds = advisories.flatMap((advisory) => listAdvisoryBuilds(advisory, mirror));
      return { ok: true, builds, state: { highWaterMark: formatApolloMicroseconds(newest), resume: null }, failures: [] };
    }
  }

  let newestMicroseconds = resume?.newestPublishedAt ? parseApolloMicroseconds(resume.newestPublishedAt) : null;
  let page = resume?.page ?? 1;
  let url = buildPageUrl(mirror.apiUrl, page, mirror.pageSize, after);
  const visitedUrls = new Set<string>();
  const builds: Evidence[] = [];
  const failures: Array<{ item: string; error: FetchError }> = [];
  let pagesRead = 0;
  let totalPages: number | null = null;

  for (;;) {
    input.onProgress?.({ step: "reading Apollo advisories", done: pagesRead, total: totalPages });
    visitedUrls.add(url);
    const fetched = await fetchAdvisoriesPage(http, url, mirror.maxResponseBytes);
    if (!fetched.ok) {
      if (pagesRead === 0) return { ok: false, error: fetched.error };
      failures.push({ item: `advisories page ${page}`, error: fetched.error });
      return {
        ok: true,
        builds,
        state: { highWaterMark: after, resume: { page, pageSize: mirror.pageSize, newestPublishedAt: toIso(newestMicroseconds) } },
        failures,
      };
    }

    const { advisories, rejected, nextLink, total } = fetched.page;
    pagesRead++;
    totalPages = Math.ceil(total / mirror.pageSize);
    for (const advisory of advisories) {
      if (!isNew(advisory)) continue;
      const publishedAt = advisory.publishedAtMicroseconds;
      if (publishedAt !== null) newestMicroseconds = Math.max(newestMicroseconds ?? publishedAt, publishedAt);
      builds.push(...listAdvisoryBuilds(advisory, mirror));
    }
    for (const item of rejected) {
      failures.push({ item: `${item.name ?? "?"} (page ${page})`, error: { kind: "invalid_data", message: item.message, url } });
    }

    // Newest first: once one advisory is at or before the mark, every later one is too.
    const hasReachedKnown = advisories.some((advisory) => !isNew(advisory));
    const nextUrl = nextLink === null ? null : new URL(nextLink, url).href;
    if (hasReachedKnown || advisories.length === 0 || nextUrl === null || visitedUrls.has(nextUrl)) break;
    page = findPageNumber(nextUrl, page + 1);
    url = nextUrl;
  }

  input.onProgress?.({ step: "reading Apollo advisories", done: pagesRead, total: pagesRead });
  const highWaterMark = toIso(
    markMicroseconds === null ? newestMicroseconds : Math.max(markMicroseconds, newestMicroseconds ?? markMicroseconds),
  );
  return { ok: true, builds, state: { highWaterMark, resume: null }, failures };
}

export const rockyApolloSource: MirrorSource<RockyApolloMirrorConfig> = {
  scope: "listing",
  listLinkUrls: (mirror) => [mirror.erratumWebUrlTemplate],
  initialState: EMPTY_ROCKY_APOLLO_STATE,
  poll: pollRockyApollo,
};
