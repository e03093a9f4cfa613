import type { Logger } from "pino";
import type { FetchPolicy, SrcwatchConfig } from "../core/config";
import type { Db } from "../server/db/client";
import type { Mailer } from "../server/notifications/mailer-types";
import type { HttpClient } from "../sources/http/types";
import { createHttpClient } from "../sources/http/create-http-client";

/** Everything a job handler needs, passed in: handlers know nothing of what schedules them. */
export interface WorkerDeps {
  db: Db;
  config: SrcwatchConfig;
  now: () => Date;
  logger: Logger;
  createHttpClient: (policy: FetchPolicy) => HttpClient;
  /** null when the config has no `notifications.email`: mail stays in the outbox. */
  mailer: Mailer | null;
}

export function createDefaultHttpClientFactory(userAgent: string): (policy: FetchPolicy) => HttpClient {
  return (policy) =>
    createHttpClient({
      userAgent,
      timeoutMs: policy.timeoutMs,
      maxResponseBytes: policy.maxResponseBytes,
      retries: policy.retries,
      perHostMinIntervalMs: policy.perHostMinIntervalMs,
      concurrency: policy.concurrency,
    });
}
