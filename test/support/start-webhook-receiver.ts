import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  path: string;
  body: string;
}

export interface WebhookReceiver {
  /** http://127.0.0.1:<port> */
  origin: string;
  /** Every request, in arrival order. */
  received: ReceivedRequest[];
  /** The body of the first request to `path` ("" when none came). */
  bodyOf(path: string): string;
  close(): Promise<void>;
}

/** A real HTTP server on loopback that answers 200 to anything and records what webhooks delivered to it. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedRequest[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ path: request.url ?? "/", body: Buffer.concat(chunks).toString("utf8") });
      response.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    bodyOf: (path) => received.find((request) => request.path === path)?.body ?? "",
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
