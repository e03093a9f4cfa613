import { createHash } from "node:crypto";
import type http from "node:http";
import { gzipSync } from "node:zlib";

export interface StaticFile {
  body: Buffer;
  contentType: string;
  lastModified: Date;
  etag: string;
  gzippedBody?: Buffer;
  /** Already compressed (an archive): never gzipped again. */
  isCompressed?: boolean;
}

export function createStaticFile(body: string | Buffer, contentType: string, lastModified: Date): StaticFile {
  const bytes = typeof body === "string" ? Buffer.from(body) : body;
  const etag = `"${createHash("sha1").update(bytes).digest("hex").slice(0, 24)}"`;
  return { body: bytes, contentType, lastModified: new Date(Math.floor(lastModified.getTime() / 1000) * 1000), etag };
}

function isNotModified(request: http.IncomingMessage, etags: string[], lastModified: Date): boolean {
  const ifNoneMatch = request.headers["if-none-match"];
  if (ifNoneMatch) {
    if (ifNoneMatch.trim() === "*") return true;
    return ifNoneMatch.split(",").some((candidate) => etags.includes(candidate.trim().replace(/^W\//, "")));
  }
  const ifModifiedSince = request.headers["if-modified-since"];
  if (!ifModifiedSince) return false;
  const sinceMs = Date.parse(ifModifiedSince);
  return Number.isFinite(sinceMs) && lastModified.getTime() <= sinceMs;
}

/**
 * A static file as a CDN serves it: strong ETag (a distinct one for the gzip representation), Last-Modified,
 * 304 on If-None-Match / If-Modified-Since, gzip when asked. Returns true when it answered 304.
 */
export function sendStaticFile(request: http.IncomingMessage, response: http.ServerResponse, file: StaticFile): boolean {
  const gzipEtag = file.etag.replace(/"$/, '-gzip"');
  // An already compressed file (an archive) is sent as it is, as a CDN does.
  const acceptsGzip = !file.isCompressed && /\bgzip\b/.test(String(request.headers["accept-encoding"] ?? ""));
  const etag = acceptsGzip ? gzipEtag : file.etag;
  response.setHeader("ETag", etag);
  response.setHeader("Last-Modified", file.lastModified.toUTCString());
  response.setHeader("Vary", "Accept-Encoding");
  response.setHeader("Accept-Ranges", "none");
  if (isNotModified(request, [file.etag, gzipEtag], file.lastModified)) {
    response.writeHead(304);
    response.end();
    return true;
  }
  let body = file.body;
  if (acceptsGzip) {
    file.gzippedBody ??= gzipSync(file.body);
    body = file.gzippedBody;
    response.setHeader("Content-Encoding", "gzip");
  }
  response.writeHead(200, { "Content-Type": file.contentType, "Content-Length": body.length });
  response.end(request.method === "HEAD" ? undefined : body);
  return false;
}

export function sendJson(response: http.ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(`${JSON.stringify(value, null, 2)}\n`);
  response.writeHead(status, { "Content-Type": "application/json", "Content-Length": body.length });
  response.end(body);
}

export function sendText(response: http.ServerResponse, status: number, text: string, contentType = "text/plain; charset=utf-8"): void {
  const body = Buffer.from(text);
  response.writeHead(status, { "Content-Type": contentType, "Content-Length": body.length });
  response.end(body);
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
