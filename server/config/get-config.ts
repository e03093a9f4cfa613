import "server-only";

import type { SrcwatchConfig } from "../../core/config";
import { getEnv } from "../env";
import { loadConfig } from "./load-config";

let config: SrcwatchConfig | undefined;

/** The config file named by SRCWATCH_CONFIG, loaded once per process. */
export function getConfig(): SrcwatchConfig {
  config ??= loadConfig(getEnv().SRCWATCH_CONFIG);
  return config;
}

/** Tests run the read functions against their own config. */
export function setConfigForTests(next: SrcwatchConfig | undefined): void {
  config = next;
}
