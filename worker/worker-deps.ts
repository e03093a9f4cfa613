import type { Logger } from "pino";
import type { SrcwatchConfig } from "../core/config";
import type { Db } from "../server/db/client";
import type { Mailer } from "../server/notifications/mailer-types";
import type { HttpClient } from "../sources/http/types";
import { createHttpClient } from "../sources/http/create-http-client";
import { listSourceHosts, type SourceConfig } from "../sources/http/list-source-hosts";

/** Everything a job handler needs, passed in: handlers know nothing of what schedules them. */
export interface WorkerDeps {
  db: Db;
  config: SrcwatchConfig;
  now: () => Date;
  logger: Logger;
  /** A client for one source: its fetch policy, and egress held to its own hosts plus its `egress` settings. */
  createHttpClient: (source: SourceConfig, options?: { signal?: AbortSignal }) => HttpClient;
  /** null when the config has no `notifications.email`: mail stays in the outbox. */
  mailer: Mailer | null;
}

export function createDefaultHttpClientFactory(userAgent: string): WorkerDeps["createHttpClient"] {
  return (source, options = {}) =>
    createHttpClient({
      userAgent,
      timeoutMs: source.timeoutMs,
      maxResponseBytes: source.maxResponseBytes,
      retries: source.retries,
      perHostMinIntervalMs: source.perHostMinIntervalMs,
      concurrency: source.concurrency,
      allowedHosts: [...listSourceHosts(source), ...source.egress.allowedHosts],
      allowPrivateNetwork: source.egress.allowPrivateNetwork,
      signal: options.signal,
    });
}
