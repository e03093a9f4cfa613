import "server-only";

import pino from "pino";
import { getEnv } from "./env";

let logger: pino.Logger | undefined;

/** Structured logs, fields first: logger.info({ sourceId, items }, "poll finished"). */
export function getLogger(): pino.Logger {
  logger ??= pino({ level: getEnv().LOG_LEVEL, base: { app: "srcwatch" } });
  return logger;
}
