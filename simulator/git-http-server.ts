import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";

export const GIT_HTTP_BACKEND = "/usr/lib/git-core/git-http-backend";

/**
 * Serves the bare repositories under `projectRoot` over git smart HTTP through the real
 * `git http-backend` CGI program (protocol v0 and v2). `/prefix/<repo>.git/...` maps to `<projectRoot>/<repo>.git`.
 */
export function handleGitHttpRequest(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  options: { projectRoot: string; pathInfo: string; queryString: string },
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
  };
  const protocol = request.headers["git-protocol"];
  if (typeof protocol === "string") env.GIT_PROTOCOL = protocol;
  if (request.headers["content-encoding"]) env.HTTP_CONTENT_ENCODING = String(request.headers["content-encoding"]);

  const child = spawn(GIT_HTTP_BACKEND, [], { env, stdio: ["pipe", "pipe", "pipe"] });
  request.pipe(child.stdin);
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
export async function startGitHttpServer(projectRoot: string, port = 0): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    handleGitHttpRequest(request, response, {
      projectRoot,
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
