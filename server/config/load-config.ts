import "server-only";

import { readFileSync } from "node:fs";
import { SrcwatchConfig } from "../../core/config";
import { ConfigError } from "../errors";

/** Reads and validates the config file; errors name the file and each offending field. */
export function loadConfig(filePath: string): SrcwatchConfig {
  let text: string;
  try {
    text = readFileSync(filePath, "utf8");
  } catch (error) {
    throw new ConfigError(`Cannot read config file ${filePath}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`Config file ${filePath} is not valid JSON: ${(error as Error).message}`);
  }
  return parseConfig(json, filePath);
}

export function parseConfig(json: unknown, origin = "config"): SrcwatchConfig {
  const parsed = SrcwatchConfig.safeParse(json);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `  - ${issue.path.length ? issue.path.join(".") : "(root)"}: ${issue.message}`);
  throw new ConfigError(`Invalid config in ${origin}:\n${problems.join("\n")}`, parsed.error.issues);
}
