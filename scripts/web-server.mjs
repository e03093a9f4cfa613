// The production web server (npm run web, npm start, the demo) in place of `next start`: Next's own request
// handler behind a plain HTTP server that first replaces the client address header with what the socket and
// SRCWATCH_TRUSTED_PROXIES say. Usage: node scripts/web-server.mjs [-p PORT] [-H HOSTNAME]
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  compileTrustedProxies,
  markClientAddressHeaderTrusted,
  setClientAddressHeader,
} from "../server/http/set-client-address-header.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function fail(message) {
  console.error(`[web] ${message}`);
  process.exit(1);
}

function readOptions() {
  const { values } = parseArgs({
    options: { port: { type: "string", short: "p" }, hostname: { type: "string", short: "H" } },
    strict: true,
  });
  const portText = values.port ?? process.env.PORT ?? "3000";
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65_535) fail(`invalid port "${portText}"`);
  let trust;
  try {
    trust = compileTrustedProxies(process.env.SRCWATCH_TRUSTED_PROXIES);
  } catch (error) {
    fail(error.message);
  }
  // Like `next start`: all interfaces unless a hostname is given.
  return { port, hostname: values.hostname, trust };
}

async function main() {
  const { port, hostname, trust } = readOptions();
  process.env.NODE_ENV ||= "production";
  const { default: next } = await import("next");
  const app = next({ dev: false, dir: ROOT, hostname: hostname ?? "localhost", port });
  await app.prepare();
  const handle = app.getRequestHandler();
  markClientAddressHeaderTrusted();

  const server = http.createServer((request, response) => {
    setClientAddressHeader(request, trust);
    handle(request, response).catch((error) => {
      console.error(`[web] failed to handle ${request.method} ${request.url}`, error);
      if (!response.headersSent) {
        response.statusCode = 500;
        response.end("Internal Server Error");
      } else response.destroy();
    });
  });
  // Longer than the idle timeout of common proxies and HTTP clients (60 s), so the server is never the one closing an
  // idle keep-alive connection while the client sends on it (ECONNRESET). Node's default is 5 s.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on("error", (error) => fail(`cannot listen on ${hostname ?? "*"}:${port}: ${error.message}`));
  server.listen(port, hostname, () => {
    const address = server.address();
    console.log(`[web] ready on http://${hostname ?? "localhost"}:${typeof address === "object" && address ? address.port : port}`);
  });

  let isClosing = false;
  const close = (signal) => {
    if (isClosing) return;
    isClosing = true;
    // Stop accepting connections and let requests in flight finish, then let Next clean up.
    server.close(() => {
      app
        .close()
        .catch((error) => console.error("[web] closing Next failed", error))
        .finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
    });
    server.closeIdleConnections();
  };
  process.on("SIGTERM", () => close("SIGTERM"));
  process.on("SIGINT", () => close("SIGINT"));
}

main().catch((error) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)));
