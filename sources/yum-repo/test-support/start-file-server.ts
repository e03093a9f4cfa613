import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ServedFile {
  body: Buffer;
  contentType: string;
  /** Answer with this status and body instead (an error page). */
  status?: number;
}

export interface FileServer {
  url: string;
  /** Path → file; change it between polls. */
  files: Map<string, ServedFile>;
  /** Path → requests answered (200 or 304 or error). */
  hits: Map<string, number>;
  notModifiedCount(): number;
  put(path: string, body: string | Buffer, contentType?: string): void;
  close(): Promise<void>;
}

/** A loopback static server like Apache serving a repository: strong ETag, Last-Modified, 304, no content coding. */
export async function startFileServer(): Promise<FileServer> {
  const files = new Map<string, ServedFile>();
  const hits = new Map<string, number>();
  let notModified = 0;
  const server = http.createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname);
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const file = files.get(path);
    if (!file) {
      response.writeHead(404, { "Content-Type": "text/html" });
      response.end("<html><body><h1>Not Found</h1></body></html>");
      return;
    }
    if (file.status && file.status !== 200) {
      response.writeHead(file.status, { "Content-Type": file.contentType });
      response.end(file.body);
      return;
    }
    const etag = `"${createHash("sha1").update(file.body).digest("hex").slice(0, 16)}"`;
    const lastModified = "Tue, 20 Jun 2023 14:03:00 GMT";
    if (request.headers["if-none-match"] === etag) {
      notModified++;
      response.writeHead(304, { ETag: etag, "Last-Modified": lastModified });
      response.end();
      return;
    }
    response.writeHead(200, {
      "Content-Type": file.contentType,
      "Content-Length": file.body.length,
      ETag: etag,
      "Last-Modified": lastModified,
    });
    response.end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    files,
    hits,
    notModifiedCount: () => notModified,
    put(path, body, contentType = "application/octet-stream") {
      files.set(path, { body: typeof body === "string" ? Buffer.from(body) : body, contentType });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
