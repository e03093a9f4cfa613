import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Env, getEnv, resetEnvForTests } from "./env";

const ROOT = path.resolve(import.meta.dirname, "..");
/** Read by the launchers (scripts/), not by server/env.ts. */
const LAUNCHER_VARIABLES = ["PORT", "SRCWATCH_WORKERS", "SRCWATCH_WEB_HEAP_MIB", "SRCWATCH_WORKER_HEAP_MIB"];

describe("the environment reference", () => {
  const reference = readFileSync(path.join(ROOT, "deploy/srcwatch.env.example"), "utf8");
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");

  it.each([...Object.keys(Env.shape).filter((name) => name !== "NODE_ENV"), ...LAUNCHER_VARIABLES])(
    "names %s in deploy/srcwatch.env.example and in the README",
    (name) => {
      expect(reference).toMatch(new RegExp(`^#?${name}=`, "m"));
      expect(readme).toContain(`\`${name}\``);
    },
  );
});

describe("getEnv", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    resetEnvForTests();
  });

  it("reads the worker's queue settings and refuses a bad one with the variable's name", () => {
    process.env.SRCWATCH_JOB_QUEUE = "in-process";
    process.env.SRCWATCH_WORKER_POLL_CONCURRENCY = "2";
    resetEnvForTests();
    expect(getEnv()).toMatchObject({
      SRCWATCH_JOB_QUEUE: "in-process",
      SRCWATCH_WORKER_POLL_CONCURRENCY: 2,
      SRCWATCH_QUEUE_MAINTENANCE_SECONDS: 60,
    });
    process.env.SRCWATCH_JOB_QUEUE = "redis";
    resetEnvForTests();
    expect(() => getEnv()).toThrow(/SRCWATCH_JOB_QUEUE/);
  });
});
