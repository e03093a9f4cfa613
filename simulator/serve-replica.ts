import http from "node:http";
import type { AddressInfo } from "node:net";
import { sendText } from "./http-responses";
import type { SimulatorReplica } from "./simulator-replica";

/** One replica alone on loopback, mounted as the simulator mounts it (decoded pathname; 404 when no replica owns the path). Tests. */
export async function serveReplica(replica: SimulatorReplica): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(request.url ?? "/", "http://127.0.0.1").pathname);
    } catch {
      return sendText(response, 400, "Bad request\n");
    }
    Promise.resolve(replica.handle(request, response, pathname))
      .then((isHandled) => {
        if (!isHandled) sendText(response, 404, "Not found\n");
      })
      .catch((error: Error) => {
        if (!response.headersSent) sendText(response, 500, `replica error: ${error.message}\n`);
        else response.destroy(error);
      });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
