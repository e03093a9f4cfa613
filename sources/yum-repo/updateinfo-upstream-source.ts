import { z } from "zod";
import type { UpdateinfoUpstreamConfig } from "../../core/config";
import { chooseAdvisoryLink, type AdvisoryLinkConfig } from "../../core/check-link";
import { formatNevra, parseNevra } from "../../core/nevra";
import { SEVERITIES, type AdvisoryType, type Severity, type UpstreamAdvisory, type UpstreamPackage } from "../../core/types";
import type { FetchError, HttpClient } from "../http/types";
import type { RefusedLink, UpstreamSource, UpstreamSyncResult } from "../source-contracts";
import { fetchRepoData, fetchRepomd, listRepoRoots, type RepoRoot } from "./fetch-repo-metadata";
import { describeAbort } from "./metadata-read-error";
import type { Repomd } from "./parse-repomd";
import { parseUpdateinfo, type UpdateinfoUpdate } from "./parse-updateinfo";

const UpdateinfoRootState = z.object({
  etag: z.string().nullable().catch(null),
  lastModified: z.string().nullable().catch(null),
  updateinfoChecksum: z.string().nullable().catch(null),
});
export type UpdateinfoRootState = z.infer<typeof UpdateinfoRootState>;

/** Per repository root URL: repomd.xml validators and the checksum of the updateinfo last read. */
export const UpdateinfoUpstreamState = z.object({ repos: z.record(z.string(), UpdateinfoRootState) });
export type UpdateinfoUpstreamState = z.infer<typeof UpdateinfoUpstreamState>;

export const EMPTY_UPDATEINFO_UPSTREAM_STATE: UpdateinfoUpstreamState = { repos: {} };

export function readUpdateinfoUpstreamState(state: unknown): UpdateinfoUpstreamState {
  const parsed = UpdateinfoUpstreamState.safeParse(state);
  return parsed.success ? parsed.data : EMPTY_UPDATEINFO_UPSTREAM_STATE;
}

const TYPE_BY_UPDATE_TYPE: Record<string, AdvisoryType> = {
  security: "security",
  bugfix: "bugfix",
  recommended: "bugfix",
  enhancement: "enhancement",
  newpackage: "enhancement",
  feature: "enhancement",
};

const CVE_ID = /CVE-\d{4}-\d{4,}/i;

function readSeverity(text: string | null): Severity | null {
  const found = SEVERITIES.find((severity) => severity.toLowerCase() === text?.toLowerCase());
  return found ?? null;
}

function findAdvisoryUrl(update: UpdateinfoUpdate): string | undefined {
  const byType = (type: string) => update.references.find((reference) => reference.type === type && reference.href)?.href;
  return (
    byType("self") ??
    byType("errata") ??
    update.references.find((reference) => reference.id === update.id && reference.href)?.href ??
    undefined
  );
}

const packageKey = (pkg: UpstreamPackage) => `${formatNevra(pkg)}/${pkg.major}/${pkg.stream}`;

type AdvisoryMapping = { ok: true; advisory: UpstreamAdvisory; refusedUrl?: string } | { ok: false; message: string };

/** One `<update>` as an upstream advisory: its source packages (deduplicated) for the repository's major, stream main. */
export function mapUpdateToAdvisory(update: UpdateinfoUpdate, root: RepoRoot, links: AdvisoryLinkConfig): AdvisoryMapping {
  const type = TYPE_BY_UPDATE_TYPE[update.type.toLowerCase()];
  if (!type) return { ok: false, message: `unknown update type (${update.type.length} characters)` };
  const issuedAt = update.issuedAt ?? update.updatedAt;
  if (!issuedAt) return { ok: false, message: "no issued date" };
  const packages = new Map<string, UpstreamPackage>();
  for (const pkg of update.packages) {
    if (!pkg.sourceRpm) continue;
    const source = parseNevra(pkg.sourceRpm);
    if (!source) return { ok: false, message: "a package's source RPM is not a file name name-version-release.src.rpm" };
    const upstreamPackage: UpstreamPackage = {
      name: source.name,
      epoch: pkg.epoch,
      version: source.version,
      release: source.release,
      major: root.major,
      stream: "main",
      minor: null,
      moduleStream: pkg.moduleStream,
    };
    packages.set(packageKey(upstreamPackage), upstreamPackage);
  }
  const cves = new Set<string>();
  for (const reference of update.references) {
    if (reference.type !== "cve") continue;
    const id = CVE_ID.exec(reference.id ?? "")?.[0] ?? CVE_ID.exec(reference.href ?? "")?.[0];
    if (id) cves.add(id.toUpperCase());
  }
  const link = chooseAdvisoryLink(update.id, findAdvisoryUrl(update), links);
  return {
    ok: true,
    advisory: {
      id: update.id,
      type,
      severity: readSeverity(update.severity),
      title: update.title,
      issuedAt,
      updatedAt: update.updatedAt ?? issuedAt,
      url: link.url,
      cves: [...cves].sort(),
      packages: [...packages.values()],
    },
    ...(link.refusedUrl === null ? {} : { refusedUrl: link.refusedUrl }),
  };
}

/** The same advisory id in several repositories (BaseOS and AppStream, two majors): one advisory, all packages. */
function mergeAdvisory(into: UpstreamAdvisory, other: UpstreamAdvisory): void {
  const packages = new Map(into.packages.map((pkg) => [packageKey(pkg), pkg]));
  for (const pkg of other.packages) packages.set(packageKey(pkg), pkg);
  into.packages = [...packages.values()];
  into.cves = [...new Set([...into.cves, ...other.cves])].sort();
  if (other.issuedAt < into.issuedAt) into.issuedAt = other.issuedAt;
  if (other.updatedAt > into.updatedAt) into.updatedAt = other.updatedAt;
}

type RepomdOutcome =
  | { ok: true; notModified: true }
  | { ok: true; notModified: false; repomd: Repomd; etag: string | null; lastModified: string | null }
  | { ok: false; error: FetchError };

/**
 * Advisories from the updateinfo of yum repositories, for when no CSAF feed is reachable.
 * Red Hat ships one advisory to several repositories and the recorder replaces an advisory's package
 * list, so each poll that sees a change reads every repository's updateinfo and returns whole advisories;
 * when any repository cannot be read, no advisory is returned (state kept: all is retried next poll).
 */
export async function syncUpdateinfoUpstream(input: {
  http: HttpClient;
  upstream: UpdateinfoUpstreamConfig;
  state: UpdateinfoUpstreamState;
  onProgress?: (progress: { step: string; done: number; total: number | null }) => void;
  signal?: AbortSignal;
}): Promise<UpstreamSyncResult> {
  const { http, upstream, state, signal } = input;
  const limits = { maxDecompressedBytes: upstream.maxDecompressedBytes, maxElementBytes: upstream.maxElementBytes, signal };
  const report = input.onProgress ?? (() => {});
  const roots = listRepoRoots(upstream.repoUrlTemplates, upstream.majors);
  const maxBytes = upstream.maxResponseBytes;
  const failures: Array<{ path: string; error: FetchError }> = [];

  report({ step: "fetching repomd.xml", done: 0, total: roots.length });
  const repomds: RepomdOutcome[] = [];
  for (const [index, root] of roots.entries()) {
    repomds.push(await fetchRepomd(http, root.url, state.repos[root.url] ?? null, maxBytes));
    report({ step: "fetching repomd.xml", done: index + 1, total: roots.length });
  }
  roots.forEach((root, index) => {
    const outcome = repomds[index];
    if (!outcome.ok) failures.push({ path: root.url, error: outcome.error });
  });
  if (roots.length > 0 && failures.length === roots.length) return { ok: false, error: failures[0].error, state };
  if (failures.length) return { ok: true, notModified: false, advisories: [], deletedIds: [], state, failures };

  const isChanged = roots.some((root, index) => {
    const outcome = repomds[index];
    return (
      outcome.ok &&
      !outcome.notModified &&
      (outcome.repomd.data.updateinfo?.checksum.value ?? null) !== (state.repos[root.url]?.updateinfoChecksum ?? null)
    );
  });
  const nextState: UpdateinfoUpstreamState = { repos: {} };
  if (!isChanged) {
    roots.forEach((root, index) => {
      const outcome = repomds[index];
      const previous = state.repos[root.url] ?? { etag: null, lastModified: null, updateinfoChecksum: null };
      nextState.repos[root.url] =
        outcome.ok && !outcome.notModified ? { ...previous, etag: outcome.etag, lastModified: outcome.lastModified } : previous;
    });
    return { ok: true, notModified: true, advisories: [], deletedIds: [], state: nextState, failures: [] };
  }

  const startMs = Date.parse(`${upstream.startDate}T00:00:00Z`);
  const advisoriesById = new Map<string, UpstreamAdvisory>();
  const itemFailures: Array<{ path: string; error: FetchError }> = [];
  const refusedLinks: RefusedLink[] = [];
  report({ step: "fetching updateinfo", done: 0, total: roots.length });
  for (const [index, root] of roots.entries()) {
    if (signal?.aborted) return { ok: false, error: { kind: "timeout", message: describeAbort(signal), url: root.url }, state };
    let outcome = repomds[index];
    if (outcome.ok && outcome.notModified) outcome = await fetchRepomd(http, root.url, null, maxBytes);
    if (!outcome.ok)
      return { ok: true, notModified: false, advisories: [], deletedIds: [], state, failures: [{ path: root.url, error: outcome.error }] };
    if (outcome.notModified) continue;
    const updateinfoData = outcome.repomd.data.updateinfo;
    nextState.repos[root.url] = {
      etag: outcome.etag,
      lastModified: outcome.lastModified,
      updateinfoChecksum: updateinfoData?.checksum.value ?? null,
    };
    if (!updateinfoData) continue;
    const download = await fetchRepoData(http, root.url, updateinfoData, maxBytes, limits);
    if (!download.ok)
      return { ok: true, notModified: false, advisories: [], deletedIds: [], state, failures: [{ path: root.url, error: download.error }] };
    const parsed = await parseUpdateinfo(download.chunks, limits);
    if (!parsed.ok) {
      return {
        ok: true,
        notModified: false,
        advisories: [],
        deletedIds: [],
        state,
        failures: [{ path: root.url, error: { ...parsed.error, url: download.url, status: 200 } }],
      };
    }
    for (const update of parsed.updates) {
      const mapped = mapUpdateToAdvisory(update, root, upstream);
      if (!mapped.ok) {
        itemFailures.push({
          path: `${root.url}#${update.id}`,
          error: { kind: "invalid_data", message: `${update.id}: ${mapped.message}`, url: download.url },
        });
        continue;
      }
      if (mapped.advisory.issuedAt.getTime() < startMs) continue;
      if (mapped.refusedUrl !== undefined) refusedLinks.push({ item: `${root.url}#${update.id}`, url: mapped.refusedUrl });
      const seen = advisoriesById.get(mapped.advisory.id);
      if (seen) mergeAdvisory(seen, mapped.advisory);
      else advisoriesById.set(mapped.advisory.id, mapped.advisory);
    }
    report({ step: "fetching updateinfo", done: index + 1, total: roots.length });
  }
  return {
    ok: true,
    notModified: false,
    advisories: [...advisoriesById.values()],
    deletedIds: [],
    state: nextState,
    failures: itemFailures,
    refusedLinks,
  };
}

export const updateinfoUpstreamSource: UpstreamSource<UpdateinfoUpstreamConfig> = {
  initialState: EMPTY_UPDATEINFO_UPSTREAM_STATE,
  sync: ({ http, upstream, state, onProgress, signal }) =>
    syncUpdateinfoUpstream({ http, upstream, state: readUpdateinfoUpstreamState(state), onProgress, signal }),
};
