import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";

export const GIT_HTTP_BACKEND = "/usr/lib/git-core/git-http-backend";

/** What a smart-HTTP request asks: the ref advertisement, a v2 `ls-refs`, or a fetch (v2 `fetch` or a v0 want list). */
export type GitRequestKind = "info-refs" | "ls-refs" | "fetch" | "other";

const MAX_GIT_REQUEST_BYTES = 1024 * 1024;

/** Reads a git request's body (capped) so that it can be counted by kind, then handed to `handleGitHttpRequest`. */
export async function readGitRequest(request: http.IncomingMessage, pathInfo: string): Promise<{ kind: GitRequestKind; body?: Buffer }> {
  if (request.method !== "POST") return { kind: pathInfo.endsWith("/info/refs") ? "info-refs" : "other" };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_GIT_REQUEST_BYTES) return { kind: "other", body: Buffer.concat(chunks) };
    chunks.push(chunk);
  }
  const body = Buffer.concat(chunks);
  const head = body.subarray(0, 64).toString("latin1");
  const kind = /^[0-9a-f]{4}command=ls-refs/.test(head) ? "ls-refs" : /^[0-9a-f]{4}(command=fetch|want )/.test(head) ? "fetch" : "other";
  return { kind, body };
}

/**
 * Serves the bare repositories under `projectRoot` over git smart HTTP through the real
 * `git http-backend` CGI program (protocol v0 and v2). `/prefix/<repo>.git/...` maps to `<projectRoot>/<repo>.git`.
 * `allowFilter` (default true) sets `uploadpack.allowFilter`, which makes upload-pack offer `filter` as GitHub does.
 */
export function handleGitHttpRequest(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  options: {
    projectRoot: string;
    pathInfo: string;
    queryString: string;
    allowFilter?: boolean;
    /** The request body when the caller has already read it (to look at the git command). */
    body?: Buffer;
  },
): void {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_ENV: process.env.NODE_ENV,
    GIT_PROJECT_ROOT: options.projectRoot,
    GIT_HTTP_EXPORT_ALL: "1",
    PATH_INFO: options.pathInfo,
    QUERY_STRING: options.queryString,
    REQUEST_METHOD: request.method ?? "GET",
    CONTENT_TYPE: request.headers["content-type"] ?? "",
    REMOTE_ADDR: request.socket.remoteAddress ?? "127.0.0.1",
    GIT_CONFIG_NOSYSTEM: "1",
    HOME: options.projectRoot,
    GIT_CONFIG_COUNT: "1",
    GIT_CONFIG_KEY_0: "uploadpack.allowFilter",
    GIT_CONFIG_VALUE_0: options.allowFilter === false ? "false" : "true",
  };
  const protocol = request.headers["git-protocol"];
  if (typeof protocol === "string") env.GIT_PROTOCOL = protocol;
  if (request.headers["content-encoding"]) env.HTTP_CONTENT_ENCODING = String(request.headers["content-encoding"]);

  const child = spawn(GIT_HTTP_BACKEND, [], { env, stdio: ["pipe", "pipe", "pipe"] });
  if (options.body) child.stdin.end(options.body);
  else request.pipe(child.stdin);
  child.stdin.on("error", () => undefined);
  // An undrained stderr pipe would block git http-backend once it fills.
  child.stderr.resume();

  let headerBuffer = Buffer.alloc(0);
  let headersSent = false;
  child.stdout.on("data", (chunk: Buffer) => {
    if (headersSent) {
      response.write(chunk);
      return;
    }
    headerBuffer = Buffer.concat([headerBuffer, chunk]);
    let end = headerBuffer.indexOf("\r\n\r\n");
    let separatorLength = 4;
    if (end === -1) {
      end = headerBuffer.indexOf("\n\n");
      separatorLength = 2;
    }
    if (end === -1) return;
    const headerText = headerBuffer.subarray(0, end).toString("latin1");
    let status = 200;
    for (const line of headerText.split(/\r?\n/)) {
      const colon = line.indexOf(":");
      if (colon === -1) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === "status") status = Number.parseInt(value, 10) || 200;
      else response.setHeader(name, value);
    }
    response.statusCode = status;
    headersSent = true;
    response.write(headerBuffer.subarray(end + separatorLength));
  });
  child.stdout.on("end", () => {
    if (!headersSent) {
      response.statusCode = 502;
      response.end("git http-backend produced no response\n");
    } else response.end();
  });
  child.on("error", (error) => {
    if (!response.headersSent) response.statusCode = 500;
    response.end(`git http-backend failed: ${error.message}\n`);
  });
}

/** A standalone git smart-HTTP server on loopback (tests). */
export async function startGitHttpServer(
  projectRoot: string,
  port = 0,
  options: { allowFilter?: boolean } = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    handleGitHttpRequest(request, response, {
      projectRoot,
      allowFilter: options.allowFilter,
      pathInfo: decodeURIComponent(url.pathname),
      queryString: url.search.replace(/^\?/, ""),
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
