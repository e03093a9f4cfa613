// npm start: web + worker on embedded SQLite (or DATABASE_URL), the config in SRCWATCH_CONFIG.
// SRCWATCH_WORKERS=N (PostgreSQL only) starts N worker processes, which share the work through the job queue.
import { ensureWebBuild, runMigrations, runTogether, WEB_SERVER, webNodeFlags, WORKER_MAIN, workerNodeFlags } from "./run-processes.mjs";

const port = process.env.PORT ?? "3000";
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" };
const workerCount = readWorkerCount(env);
ensureWebBuild();
runMigrations(env);
console.log(`[srcwatch] dashboard on http://localhost:${port}${workerCount > 1 ? ` with ${workerCount} workers` : ""}`);
runTogether([
  ...Array.from({ length: workerCount }, (_, index) => ({
    name: workerCount > 1 ? `worker ${index + 1}` : "worker",
    command: process.execPath,
    args: [...workerNodeFlags(env), WORKER_MAIN],
    env,
  })),
  { name: "web", command: process.execPath, args: [...webNodeFlags(env), WEB_SERVER, "-p", port], env },
]);

/** SRCWATCH_WORKERS: 1 by default; more only on PostgreSQL, whose job queue lets workers share the polls. */
function readWorkerCount(environment) {
  const text = environment.SRCWATCH_WORKERS ?? "1";
  const count = Number(text);
  if (!/^\d+$/.test(text) || count < 1 || count > 64) {
    console.error(`[srcwatch] SRCWATCH_WORKERS must be a whole number from 1 to 64; it is "${text}"`);
    process.exit(1);
  }
  if (count > 1 && !/^postgres(ql)?:\/\//.test(environment.DATABASE_URL ?? "")) {
    console.error("[srcwatch] SRCWATCH_WORKERS > 1 needs PostgreSQL (DATABASE_URL=postgresql://…): on SQLite one worker does the work");
    process.exit(1);
  }
  return count;
}
