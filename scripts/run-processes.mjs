// Shared by `npm start` and `npm run demo`: build the web app when needed, then run processes
// side by side, stopping all of them when one stops or on Ctrl-C.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => path.join(ROOT, "node_modules/.bin", name);
/** Node flags for a process that imports server/ (the worker, the migration runner): there "server-only" resolves to its
 *  empty module, as in Next's server bundles; plain Node would get the module that throws. Usage: tsx ...SERVER_CONDITIONS file.ts */
export const SERVER_CONDITIONS = ["--conditions=react-server"];
/** Run with `node ...webNodeFlags() WEB_SERVER`: Next behind our server, which sets the client address header (see server/http/). */
export const WEB_SERVER = path.join(ROOT, "scripts/web-server.mjs");
/** Run with `node ...workerNodeFlags() WORKER_MAIN` (TypeScript through tsx's loader, one process). */
export const WORKER_MAIN = path.join(ROOT, "worker/main.ts");
const MIN_HEAP_MIB = 128;

/** `--max-old-space-size` from the variable `name` (MiB), or `fallback`; a bad value stops the start with a clear message. */
function heapFlag(env, name, fallback) {
  const text = env[name] ?? String(fallback);
  if (!/^\d+$/.test(text) || Number(text) < MIN_HEAP_MIB) {
    console.error(`[srcwatch] ${name} must be a whole number of MiB, at least ${MIN_HEAP_MIB}; it is "${text}"`);
    process.exit(1);
  }
  return `--max-old-space-size=${text}`;
}

/**
 * Node flags of the web server: V8's old space bounded to SRCWATCH_WEB_HEAP_MIB (default 320). Unbounded, V8 let the heap
 * grow under load long before it had to (peak RSS 520–715 MiB serving 150,000 verdicts to 10 connections); bounded at
 * 256 MiB the same load peaked at ≈ 340–380 MiB with the same requests per second. A request's live data is far smaller
 * (reports and exports are paged or streamed).
 */
export function webNodeFlags(env = process.env) {
  return [heapFlag(env, "SRCWATCH_WEB_HEAP_MIB", 320)];
}

/** Node flags of the worker: its heap bounded to SRCWATCH_WORKER_HEAP_MIB (default 384), tsx's loader, server conditions. */
export function workerNodeFlags(env = process.env) {
  return [heapFlag(env, "SRCWATCH_WORKER_HEAP_MIB", 384), "--import", "tsx", ...SERVER_CONDITIONS];
}

const WEB_SOURCES = [
  "app",
  "components",
  "server",
  "contract",
  "core",
  "public",
  "next.config.ts",
  "proxy.ts",
  "instrumentation-client.ts",
  "package-lock.json",
  "prisma/schema.prisma",
];

function newestModification(entry) {
  const full = path.join(ROOT, entry);
  if (!existsSync(full)) return 0;
  const stats = statSync(full);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(full).map((child) => newestModification(path.join(entry, child))));
}

/** Whether `.next` holds a build at least as new as every source of the web app. */
export function isWebBuildCurrent() {
  const buildId = path.join(ROOT, ".next/BUILD_ID");
  return existsSync(buildId) && statSync(buildId).mtimeMs >= Math.max(...WEB_SOURCES.map(newestModification));
}

/** Builds the web app when there is no build, or when its sources changed since (after a git pull). */
export function ensureWebBuild() {
  const isCurrent = isWebBuildCurrent();
  if (isCurrent && process.env.SRCWATCH_REBUILD !== "1") return;
  console.log("[srcwatch] building the web app…");
  const result = spawnSync(bin("next"), ["build"], { cwd: ROOT, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

export function runMigrations(env) {
  const result = spawnSync(bin("tsx"), [...SERVER_CONDITIONS, "prisma/cli.ts", "deploy"], { cwd: ROOT, stdio: "inherit", env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** processes: [{ name, command, args, env }] */
export function runTogether(processes, { onExit } = {}) {
  const children = processes.map(({ name, command, args, env }) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    const prefix = (stream, target) => {
      let buffered = "";
      stream.on("data", (chunk) => {
        buffered += chunk.toString();
        const lines = buffered.split("\n");
        buffered = lines.pop() ?? "";
        for (const line of lines) target.write(`[${name}] ${line}\n`);
      });
    };
    prefix(child.stdout, process.stdout);
    prefix(child.stderr, process.stderr);
    return { name, child };
  });
  let stopping = false;
  const stopAll = async (code) => {
    if (stopping) return;
    stopping = true;
    for (const { child } of children) if (child.exitCode === null) child.kill("SIGTERM");
    await onExit?.();
    setTimeout(() => process.exit(code), 1500).unref();
  };
  for (const { name, child } of children) {
    child.on("exit", (code, signal) => {
      if (!stopping) console.error(`[srcwatch] ${name} stopped (${signal ?? `exit ${code}`}); stopping the rest`);
      void stopAll(code ?? 1);
    });
  }
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));
  return { stopAll };
}

export { bin };
