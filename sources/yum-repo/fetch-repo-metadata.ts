import { createHash } from "node:crypto";
import type { FetchError, HttpClient } from "../http/types";
import { streamDecompressedMetadata, type DecompressLimits } from "./decompress-metadata";
import { parseRepomd, type RepoChecksum, type Repomd, type RepomdData } from "./parse-repomd";

export interface RepoRoot {
  /** Always ends with "/". */
  url: string;
  major: number;
}

export interface RepomdValidators {
  etag: string | null;
  lastModified: string | null;
}

export type RepomdFetch =
  | { ok: true; notModified: true }
  | { ok: true; notModified: false; repomd: Repomd; etag: string | null; lastModified: string | null }
  | { ok: false; error: FetchError };

export type RepoDataFetch = { ok: true; url: string; chunks: AsyncIterable<Uint8Array> } | { ok: false; error: FetchError };

const HASH_BY_CHECKSUM_TYPE: Record<string, string> = {
  sha: "sha1",
  sha1: "sha1",
  sha224: "sha224",
  sha256: "sha256",
  sha384: "sha384",
  sha512: "sha512",
  md5: "md5",
};

/** One root per template and major, `{major}` filled in. */
export function listRepoRoots(templates: string[], majors: number[]): RepoRoot[] {
  return majors.flatMap((major) =>
    templates.map((template) => {
      const url = template.replaceAll("{major}", String(major));
      return { url: url.endsWith("/") ? url : `${url}/`, major };
    }),
  );
}

export async function fetchRepomd(
  http: HttpClient,
  root: string,
  validators: RepomdValidators | null,
  maxBytes: number,
): Promise<RepomdFetch> {
  const url = `${root}repodata/repomd.xml`;
  const response = await http.get(url, {
    etag: validators?.etag,
    lastModified: validators?.lastModified,
    accept: "application/xml, text/xml",
    maxBytes,
  });
  if (!response.ok) return response;
  if (response.status === 304) return { ok: true, notModified: true };
  const parsed = parseRepomd((response.body ?? Buffer.alloc(0)).toString("utf8"));
  if (!parsed.ok) return { ok: false, error: { kind: "parse", message: parsed.error.message, url, status: 200 } };
  return { ok: true, notModified: false, repomd: parsed.repomd, etag: response.etag, lastModified: response.lastModified };
}

function matchesChecksum(body: Buffer, checksum: RepoChecksum | null): boolean | null {
  const algorithm = checksum ? HASH_BY_CHECKSUM_TYPE[checksum.type.toLowerCase()] : undefined;
  if (!checksum || !algorithm) return null;
  return createHash(algorithm).update(body).digest("hex") === checksum.value;
}

/**
 * Downloads one metadata file and checks it against repomd.xml's checksum (or open-checksum, when the
 * server's Content-Encoding made fetch decompress it) before handing out its decompressed bytes.
 */
export async function fetchRepoData(
  http: HttpClient,
  root: string,
  data: RepomdData,
  maxBytes: number,
  limits: DecompressLimits,
): Promise<RepoDataFetch> {
  let url: string;
  try {
    url = new URL(data.href, data.base ?? root).href;
  } catch {
    return { ok: false, error: { kind: "parse", message: `repomd.xml: invalid location of the ${data.type} metadata`, url: root } };
  }
  const response = await http.get(url, { maxBytes });
  if (!response.ok) return response;
  const body = response.body ?? Buffer.alloc(0);
  if (/^\s*<(!doctype\s+html|html)\b/i.test(body.subarray(0, 200).toString("latin1"))) {
    return {
      ok: false,
      error: { kind: "parse", message: `${data.type}: got an HTML page instead of repository metadata`, url, status: 200 },
    };
  }
  const checks = [matchesChecksum(body, data.checksum), matchesChecksum(body, data.openChecksum)];
  if (checks.includes(false) && !checks.includes(true)) {
    return {
      ok: false,
      error: {
        kind: "invalid_data",
        message: `${data.type}: ${data.checksum.type} of the ${body.length} bytes received does not match repomd.xml`,
        url,
        status: 200,
      },
    };
  }
  return { ok: true, url, chunks: streamDecompressedMetadata(body, data.href, limits) };
}
