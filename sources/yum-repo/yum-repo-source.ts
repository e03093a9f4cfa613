import { z } from "zod";
import type { YumRepoMirrorConfig } from "../../core/config";
import { distMajor } from "../../core/nevra";
import type { Evidence } from "../../core/types";
import type { FetchError, HttpClient } from "../http/types";
import type { MirrorPollResult, MirrorSource } from "../source-contracts";
import { buildPackageLink } from "./build-package-link";
import type { DecompressLimits } from "./decompress-metadata";
import { fetchRepoData, fetchRepomd, listRepoRoots, type RepoRoot } from "./fetch-repo-metadata";
import { describeAbort } from "./metadata-read-error";
import { parsePrimary } from "./parse-primary";
import { parseUpdateinfo, type UpdateinfoUpdate } from "./parse-updateinfo";

const YumRepoRootState = z.object({
  etag: z.string().nullable().catch(null),
  lastModified: z.string().nullable().catch(null),
  primaryChecksum: z.string().nullable().catch(null),
  updateinfoChecksum: z.string().nullable().catch(null),
});
export type YumRepoRootState = z.infer<typeof YumRepoRootState>;

/** Per repository root URL: repomd.xml validators and the checksums of the primary and updateinfo last read. */
export const YumRepoState = z.object({ repos: z.record(z.string(), YumRepoRootState) });
export type YumRepoState = z.infer<typeof YumRepoState>;

export const EMPTY_YUM_REPO_STATE: YumRepoState = { repos: {} };

/** A stored state that does not parse means reading every repository again, not a crash. */
export function readYumRepoState(state: unknown): YumRepoState {
  const parsed = YumRepoState.safeParse(state);
  return parsed.success ? parsed.data : EMPTY_YUM_REPO_STATE;
}

interface BuildDates {
  publishedAt: Map<string, Date>;
  moduleStream: Map<string, string>;
}

/** The distributor's own time: `updated` (AlmaLinux's `issued` is Red Hat's date), else `issued`. */
export function indexUpdateinfoBySourceRpm(updates: UpdateinfoUpdate[]): BuildDates {
  const publishedAt = new Map<string, Date>();
  const moduleStream = new Map<string, string>();
  for (const update of updates) {
    const at = update.updatedAt ?? update.issuedAt;
    for (const pkg of update.packages) {
      if (!pkg.sourceRpm) continue;
      if (pkg.moduleStream) moduleStream.set(pkg.sourceRpm, pkg.moduleStream);
      const seen = publishedAt.get(pkg.sourceRpm);
      if (at && (!seen || at < seen)) publishedAt.set(pkg.sourceRpm, at);
    }
  }
  return { publishedAt, moduleStream };
}

type RepoPoll =
  | { outcome: "unchanged"; state: YumRepoRootState }
  | { outcome: "read"; state: YumRepoRootState; builds: Evidence[]; failures: Array<{ item: string; error: FetchError }> }
  | { outcome: "failed"; error: FetchError };

interface ReadLimits extends DecompressLimits {
  maxResponseBytes: number;
  maxElementBytes: number;
}

async function pollRepo(http: HttpClient, root: RepoRoot, previous: YumRepoRootState | undefined, limits: ReadLimits): Promise<RepoPoll> {
  const maxBytes = limits.maxResponseBytes;
  const repomd = await fetchRepomd(http, root.url, previous ?? null, maxBytes);
  if (!repomd.ok) return { outcome: "failed", error: repomd.error };
  if (repomd.notModified)
    return { outcome: "unchanged", state: previous ?? { etag: null, lastModified: null, primaryChecksum: null, updateinfoChecksum: null } };
  const primaryData = repomd.repomd.data.primary;
  if (!primaryData) {
    return {
      outcome: "failed",
      error: { kind: "parse", message: "repomd.xml lists no primary metadata", url: `${root.url}repodata/repomd.xml` },
    };
  }
  const updateinfoData = repomd.repomd.data.updateinfo ?? null;
  const checksums = { primaryChecksum: primaryData.checksum.value, updateinfoChecksum: updateinfoData?.checksum.value ?? null };
  const validators = { etag: repomd.etag, lastModified: repomd.lastModified };
  if (previous && previous.primaryChecksum === checksums.primaryChecksum && previous.updateinfoChecksum === checksums.updateinfoChecksum) {
    return { outcome: "unchanged", state: { ...previous, ...validators } };
  }

  const failures: Array<{ item: string; error: FetchError }> = [];
  let dates: BuildDates = { publishedAt: new Map(), moduleStream: new Map() };
  let isUpdateinfoRead = updateinfoData === null;
  if (updateinfoData) {
    const download = await fetchRepoData(http, root.url, updateinfoData, maxBytes, limits);
    const parsed = download.ok ? await parseUpdateinfo(download.chunks, limits) : null;
    if (!download.ok) failures.push({ item: `${root.url}#updateinfo`, error: download.error });
    else if (!parsed!.ok) failures.push({ item: `${root.url}#updateinfo`, error: { ...parsed!.error, url: download.url, status: 200 } });
    else {
      dates = indexUpdateinfoBySourceRpm(parsed!.updates);
      isUpdateinfoRead = true;
    }
  }

  const download = await fetchRepoData(http, root.url, primaryData, maxBytes, limits);
  if (!download.ok) return { outcome: "failed", error: download.error };
  const primary = await parsePrimary(download.chunks, limits);
  if (!primary.ok) return { outcome: "failed", error: { ...primary.error, url: download.url, status: 200 } };
  for (const sourceRpm of primary.invalidSourceRpms) {
    failures.push({
      item: `${root.url}#${sourceRpm}`,
      error: { kind: "invalid_data", message: "not a source RPM file name name-version-release.src.rpm", url: download.url },
    });
  }

  // Primary's <time file build> are the RPM's mtime and compile time, not when the mirror published it: only
  // updateinfo's dates are.
  const builds = primary.builds.map((build): Evidence => {
    const publishedAt = dates.publishedAt.get(build.fileName) ?? null;
    return {
      evidenceKind: build.isSourcePackage ? "srpm" : "package",
      name: build.name,
      epoch: build.epoch,
      version: build.version,
      release: build.release,
      major: distMajor(build.release) ?? root.major,
      moduleStream: dates.moduleStream.get(build.fileName) ?? null,
      ref: `${root.url}#${build.fileName}`,
      url: buildPackageLink({ href: build.href, base: build.base }, root.url),
      commitSha: null,
      publishedAt,
      publishedAtOrigin: publishedAt ? "erratum_date" : null,
    };
  });
  // Until the updateinfo is read, keep the old validators and checksum so that the next poll reads it again.
  const state: YumRepoRootState = isUpdateinfoRead
    ? { ...validators, ...checksums }
    : {
        etag: previous?.etag ?? null,
        lastModified: previous?.lastModified ?? null,
        primaryChecksum: checksums.primaryChecksum,
        updateinfoChecksum: previous?.updateinfoChecksum ?? null,
      };
  return { outcome: "read", state, builds, failures };
}

/**
 * Any yum repository: repomd.xml by conditional GET per root; primary (and updateinfo, for publication
 * times) only when their checksums changed. Repositories are read one after the other so that at most one
 * primary is held in memory. A failing repository is a failure of that item; the others go on.
 */
export const yumRepoSource: MirrorSource<YumRepoMirrorConfig> = {
  scope: "listing",
  listLinkUrls: (mirror) => mirror.repoUrlTemplates,
  initialState: EMPTY_YUM_REPO_STATE,
  async poll({ http, mirror, state, onProgress, signal }): Promise<MirrorPollResult> {
    const limits: ReadLimits = {
      maxResponseBytes: mirror.maxResponseBytes,
      maxDecompressedBytes: mirror.maxDecompressedBytes,
      maxElementBytes: mirror.maxElementBytes,
      signal,
    };
    const previous = readYumRepoState(state);
    const roots = listRepoRoots(mirror.repoUrlTemplates, mirror.majors);
    const nextState: YumRepoState = { repos: { ...previous.repos } };
    const builds: Evidence[] = [];
    const failures: Array<{ item: string; error: FetchError }> = [];
    let failedRepos = 0;
    for (const [index, root] of roots.entries()) {
      if (signal?.aborted) return { ok: false, error: { kind: "timeout", message: describeAbort(signal), url: root.url } };
      onProgress?.({ step: "reading repositories", done: index, total: roots.length });
      const result = await pollRepo(http, root, previous.repos[root.url], limits);
      if (result.outcome === "failed") {
        failedRepos++;
        failures.push({ item: root.url, error: result.error });
        continue;
      }
      nextState.repos[root.url] = result.state;
      if (result.outcome === "read") {
        builds.push(...result.builds);
        failures.push(...result.failures);
      }
    }
    onProgress?.({ step: "reading repositories", done: roots.length, total: roots.length });
    if (roots.length > 0 && failedRepos === roots.length) return { ok: false, error: failures[0].error };
    return { ok: true, builds, state: nextState, failures };
  },
};
