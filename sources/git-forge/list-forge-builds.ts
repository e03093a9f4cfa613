import { z } from "zod";
import type { GitForgeMirrorConfig } from "../../core/config";
import { distMajor, parseNvr } from "../../core/nevra";
import { PUBLICATION_TIME_ORIGINS, type Evidence, type PublicationTimeOrigin, type StoredEvidence } from "../../core/types";
import type { FetchError, HttpClient } from "../http/types";
import { parseJsonBody } from "../parse-json-body";
import { fetchGitObjects, type GitServer } from "./fetch-git-objects";
import { DELIM_PKT, encodePktLine, FLUSH_PKT, parsePktLines, type PktLine } from "./parse-pkt-lines";
import { readObjectTime } from "./read-object-time";
import type { GitObject } from "./read-pack-objects";

export type ListForgeBuildsResult = { ok: true; repositoryExists: boolean; builds: Evidence[] } | { ok: false; error: FetchError };

/** Pagure `GET /api/0/<namespace>/<repo>/c/<sha>/info`; commit_time is unix seconds, sent as a string. */
export const PagureCommitInfo = z.object({
  commit_time: z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]),
});
export type PagureCommitInfo = z.infer<typeof PagureCommitInfo>;

/** The import builds of one package on a git forge laid out like git.centos.org (one repo per package, a tag per import). */
export async function listForgeBuilds(input: {
  http: HttpClient;
  mirror: GitForgeMirrorConfig;
  packageName: string;
  majors: number[];
  /** Evidence already stored, by ref: its time is not looked up again. */
  storedEvidence: ReadonlyMap<string, StoredEvidence>;
}): Promise<ListForgeBuildsResult> {
  const { http, mirror, packageName } = input;
  const patterns = buildTagPatterns(mirror, packageName, input.majors);
  const repoUrl = fillTemplate(mirror.repoUrlTemplate, { name: encodePathSegment(packageName) }).replace(/\/+$/, "");
  const listing = await listRemoteRefs(http, repoUrl, [...new Set(patterns.map((pattern) => pattern.refPrefix))]);
  if (!listing.ok) {
    const missingStatuses = mirror.missingRepositoryStatuses ?? [404];
    if (listing.error.kind === "http" && listing.error.status !== undefined && missingStatuses.includes(listing.error.status)) {
      return { ok: true, repositoryExists: false, builds: [] };
    }
    return listing;
  }

  const builds: Evidence[] = [];
  const remoteRefByName = new Map<string, RemoteRef>();
  for (const ref of listing.refs) {
    if (remoteRefByName.has(ref.name)) continue;
    const build = matchBuild(ref, patterns, packageName, input.majors);
    if (!build) continue;
    remoteRefByName.set(ref.name, ref);
    const tag = ref.name.slice(TAGS_PREFIX.length);
    builds.push({
      ...build,
      url: fillTemplate(mirror.tagWebUrlTemplate, {
        name: encodePathSegment(packageName),
        tag: tag.split("/").map(encodePathSegment).join("/"),
        sha: build.commitSha ?? "",
      }),
    });
  }
  builds.sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));

  const unknownBuilds: Evidence[] = [];
  for (const build of builds) {
    const stored = input.storedEvidence.get(build.ref);
    const isSameCommit = stored && (stored.commitSha === null || stored.commitSha === build.commitSha);
    if (!isSameCommit) unknownBuilds.push(build);
    else if (stored.publishedAt) Object.assign(build, { publishedAt: stored.publishedAt, publishedAtOrigin: readStoredOrigin(stored) });
  }
  // Every new tag's time in one fetch of its tag object (or commit); a failed fetch leaves the times to Pagure or first sight.
  const fetched = await fetchGitObjects({
    http,
    repoUrl,
    server: listing.server,
    wants: unknownBuilds.map((build) => {
      const ref = remoteRefByName.get(build.ref) as RemoteRef;
      return { oid: ref.oid, peeledOid: ref.peeledOid };
    }),
  });
  if (fetched.ok) {
    for (const build of unknownBuilds) {
      const ref = remoteRefByName.get(build.ref) as RemoteRef;
      const tagged = fetched.objects.get(ref.oid);
      const time = (tagged && readObjectTime(tagged)) ?? (ref.peeledOid ? readCommitTime(fetched.objects.get(ref.peeledOid)) : null);
      // Kept whatever it says: core/compute-verdict.ts decides whether it is believable against our first sight.
      if (time) Object.assign(build, time);
    }
  }
  await Promise.all(
    unknownBuilds.map(async (build) => {
      if (build.publishedAt || !mirror.pagureApiUrl || !build.commitSha) return;
      const publishedAt = await findCommitTime(http, mirror, packageName, build.commitSha);
      if (publishedAt) Object.assign(build, { publishedAt, publishedAtOrigin: "forge_api" });
    }),
  );
  return { ok: true, repositoryExists: true, builds };
}

const TAGS_PREFIX = "refs/tags/";

interface TagPattern {
  /** Major filled into the template; null when the template has no `{major}` (then it comes from the dist tag). */
  major: number | null;
  refPrefix: string;
  regex: RegExp;
}

const PLACEHOLDER = /\{(\w+)\}/g;
const CAPTURES: Record<string, string> = {
  nvr: "(?<nvr>.+)",
  module: "(?<module>[^/]+)",
  moduleStream: "(?<moduleStream>[^/]+)",
};

function buildTagPatterns(mirror: GitForgeMirrorConfig, packageName: string, majors: number[]): TagPattern[] {
  const templates = [mirror.tagTemplate, mirror.moduleTagTemplate].filter((template) => template !== undefined);
  const patterns: TagPattern[] = [];
  for (const template of templates) {
    const hasMajor = template.includes("{major}");
    for (const major of hasMajor ? majors : [null]) {
      const filled = fillTemplate(template, { name: packageName, ...(major === null ? {} : { major: String(major) }) });
      const firstPlaceholder = /\{(\w+)\}/.exec(filled);
      const literalHead = firstPlaceholder ? filled.slice(0, firstPlaceholder.index) : filled;
      // An NVR starts with the package name, which lets the server skip other packages' tags.
      const refPrefix = TAGS_PREFIX + literalHead + (firstPlaceholder?.[1] === "nvr" ? `${packageName}-` : "");
      let source = "";
      let last = 0;
      for (const match of filled.matchAll(PLACEHOLDER)) {
        source += escapeRegExp(filled.slice(last, match.index)) + (CAPTURES[match[1]] ?? "[^/]+");
        last = match.index + match[0].length;
      }
      source += escapeRegExp(filled.slice(last));
      patterns.push({ major, refPrefix, regex: new RegExp(`^${escapeRegExp(TAGS_PREFIX)}${source}$`) });
    }
  }
  return patterns;
}

function matchBuild(ref: RemoteRef, patterns: TagPattern[], packageName: string, majors: number[]): Omit<Evidence, "url"> | null {
  for (const pattern of patterns) {
    const groups = pattern.regex.exec(ref.name)?.groups;
    if (!groups?.nvr) continue;
    const nvr = parseNvr(groups.nvr);
    if (!nvr || nvr.name !== packageName) continue;
    const major = pattern.major ?? distMajor(nvr.release);
    if (major === null || !majors.includes(major)) continue;
    const moduleStream = groups.moduleStream ? (groups.module ? `${groups.module}:${groups.moduleStream}` : groups.moduleStream) : null;
    return {
      ...nvr,
      evidenceKind: "tag",
      epoch: null,
      major,
      moduleStream,
      ref: ref.name,
      commitSha: ref.peeledOid ?? ref.oid,
      publishedAt: null,
      publishedAtOrigin: null,
    };
  }
  return null;
}

/** An annotated tag without a tagger line (old git) falls back to its commit, when the pack holds it. */
function readCommitTime(object: GitObject | undefined) {
  return object?.type === "commit" ? readObjectTime(object) : null;
}

/** Times stored before origins were kept came from Pagure's commit-info, the only time source git forges had then. */
function readStoredOrigin(stored: StoredEvidence): PublicationTimeOrigin {
  const origin = "publishedAtOrigin" in stored ? stored.publishedAtOrigin : undefined;
  return PUBLICATION_TIME_ORIGINS.find((candidate) => candidate === origin) ?? "forge_api";
}

async function findCommitTime(http: HttpClient, mirror: GitForgeMirrorConfig, packageName: string, sha: string): Promise<Date | null> {
  const apiUrl = (mirror.pagureApiUrl ?? "").replace(/\/+$/, "");
  const url = `${apiUrl}/${mirror.pagureNamespace}/${encodePathSegment(packageName)}/c/${sha}/info`;
  const result = await http.get(url, { accept: "application/json" });
  if (!result.ok || !result.body) return null;
  // A commit-info that cannot be read leaves the time to our first sight.
  const info = parseJsonBody(result.body, PagureCommitInfo, "a Pagure commit-info");
  if (!info.ok) return null;
  return new Date(Number(info.data.commit_time) * 1000);
}

interface RemoteRef {
  name: string;
  oid: string;
  /** The commit an annotated tag points to. */
  peeledOid: string | null;
}

const OID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
const ADVERTISEMENT_TYPE = "application/x-git-upload-pack-advertisement";
const RESULT_TYPE = "application/x-git-upload-pack-result";

/** `git ls-remote <repo> <prefix>*` over smart HTTP: protocol v2 `ls-refs` when offered, else the v0 advertisement. */
async function listRemoteRefs(
  http: HttpClient,
  repoUrl: string,
  refPrefixes: string[],
): Promise<{ ok: true; refs: RemoteRef[]; server: GitServer } | { ok: false; error: FetchError }> {
  const infoRefsUrl = `${repoUrl}/info/refs?service=git-upload-pack`;
  const advertisement = await http.request(infoRefsUrl, {
    method: "GET",
    headers: { "Git-Protocol": "version=2", accept: `${ADVERTISEMENT_TYPE}, */*;q=0.1` },
  });
  if (!advertisement.ok) return advertisement;
  const parseError = (message: string, url = infoRefsUrl) => ({ ok: false as const, error: { kind: "parse" as const, message, url } });
  if (!hasContentType(advertisement.headers, ADVERTISEMENT_TYPE)) {
    return parseError(`not a git smart-HTTP answer (status ${advertisement.status}, content-type is not ${ADVERTISEMENT_TYPE})`);
  }
  const parsed = parsePktLines(advertisement.body);
  if (!parsed.ok) return parseError(parsed.message);
  let lines = parsed.lines;
  if (lines[0]?.type === "data" && lines[0].text.startsWith("# service=")) {
    if (lines[1]?.type !== "flush") return parseError("no flush after the service announcement");
    lines = lines.slice(2);
  }
  if (lines[0]?.type === "data" && lines[0].text === "version 2") {
    const capabilities = dataUntilFlush(lines.slice(1));
    if (!capabilities.some((capability) => capability === "ls-refs" || capability.startsWith("ls-refs="))) {
      return parseError("protocol v2 server without ls-refs");
    }
    const objectFormat = capabilities.find((capability) => capability.startsWith("object-format=")) ?? null;
    const fetchFeatures =
      capabilities
        .find((capability) => capability.startsWith("fetch="))
        ?.slice("fetch=".length)
        .split(" ") ?? [];
    const listed = await listRefsV2(http, repoUrl, refPrefixes, objectFormat);
    return listed.ok ? { ...listed, server: { protocol: 2, objectFormat, fetchFeatures } } : listed;
  }
  return parseAdvertisementV0(lines, refPrefixes, infoRefsUrl);
}

async function listRefsV2(
  http: HttpClient,
  repoUrl: string,
  refPrefixes: string[],
  objectFormat: string | null,
): Promise<{ ok: true; refs: RemoteRef[] } | { ok: false; error: FetchError }> {
  const url = `${repoUrl}/git-upload-pack`;
  const body = Buffer.concat([
    encodePktLine("command=ls-refs"),
    ...(objectFormat ? [encodePktLine(objectFormat)] : []),
    DELIM_PKT,
    encodePktLine("peel"),
    ...refPrefixes.map((prefix) => encodePktLine(`ref-prefix ${prefix}`)),
    FLUSH_PKT,
  ]);
  const answer = await http.request(url, {
    method: "POST",
    headers: { "Git-Protocol": "version=2", "content-type": "application/x-git-upload-pack-request", accept: RESULT_TYPE },
    body,
  });
  if (!answer.ok) return answer;
  const parseError = (message: string) => ({ ok: false as const, error: { kind: "parse" as const, message, url } });
  if (!hasContentType(answer.headers, RESULT_TYPE)) {
    return parseError(`not a git upload-pack result (content-type is not ${RESULT_TYPE})`);
  }
  const parsed = parsePktLines(answer.body);
  if (!parsed.ok) return parseError(parsed.message);
  if (parsed.lines.at(-1)?.type !== "flush") return parseError("ls-refs answer does not end with a flush packet");
  const refs: RemoteRef[] = [];
  for (const [index, text] of dataUntilFlush(parsed.lines).entries()) {
    if (text.startsWith("ERR ")) return parseError(`the server answered an ERR packet (${text.length} bytes)`);
    const [oid, name, ...attributes] = text.split(" ");
    if (!OID.test(oid) || !name) return parseError(`unexpected ls-refs line ${index + 1} (${text.length} bytes)`);
    const peeled = attributes.find((attribute) => attribute.startsWith("peeled:"))?.slice("peeled:".length) ?? null;
    refs.push({ name, oid, peeledOid: peeled && OID.test(peeled) ? peeled : null });
  }
  return { ok: true, refs };
}

function parseAdvertisementV0(
  lines: PktLine[],
  refPrefixes: string[],
  url: string,
): { ok: true; refs: RemoteRef[]; server: GitServer } | { ok: false; error: FetchError } {
  const parseError = (message: string) => ({ ok: false as const, error: { kind: "parse" as const, message, url } });
  if (lines.at(-1)?.type !== "flush") return parseError("ref advertisement does not end with a flush packet");
  const refsByName = new Map<string, RemoteRef>();
  let capabilities: string[] = [];
  for (const [index, line] of dataUntilFlush(lines).entries()) {
    if (line.startsWith("ERR ")) return parseError(`the server answered an ERR packet (${line.length} bytes)`);
    if (index === 0 && line === "version 1") continue;
    const [text, capabilityText] = line.split("\0");
    if (capabilityText !== undefined && capabilities.length === 0) capabilities = capabilityText.split(" ").filter(Boolean);
    const space = text.indexOf(" ");
    const oid = text.slice(0, space);
    const name = text.slice(space + 1);
    if (space === -1 || !OID.test(oid) || !name) return parseError(`unexpected ref line ${index + 1} (${text.length} bytes)`);
    if (name.endsWith("^{}")) {
      const tag = refsByName.get(name.slice(0, -3));
      if (tag) tag.peeledOid = oid;
      continue;
    }
    if (refPrefixes.some((prefix) => name.startsWith(prefix))) refsByName.set(name, { name, oid, peeledOid: null });
  }
  return { ok: true, refs: [...refsByName.values()], server: { protocol: 0, capabilities } };
}

function dataUntilFlush(lines: PktLine[]): string[] {
  const texts: string[] = [];
  for (const line of lines) {
    if (line.type === "flush") break;
    if (line.type === "data") texts.push(line.text);
  }
  return texts;
}

function hasContentType(headers: Record<string, string>, expected: string): boolean {
  return (headers["content-type"] ?? "").split(";")[0].trim().toLowerCase() === expected;
}

function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(PLACEHOLDER, (placeholder, key: string) => values[key] ?? placeholder);
}

/** Package names may hold `+` (libsigc++20): legal in a path segment, and forges spell it literally. */
function encodePathSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/%2B/g, "+");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
