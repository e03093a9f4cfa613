// npm start: web + worker on embedded SQLite (or DATABASE_URL), the config in SRCWATCH_CONFIG.
import { ensureWebBuild, runMigrations, runTogether, WEB_SERVER, webNodeFlags, WORKER_MAIN, workerNodeFlags } from "./run-processes.mjs";

const port = process.env.PORT ?? "3000";
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" };
ensureWebBuild();
runMigrations(env);
console.log(`[srcwatch] dashboard on http://localhost:${port}`);
runTogether([
  { name: "worker", command: process.execPath, args: [...workerNodeFlags(env), WORKER_MAIN], env },
  { name: "web", command: process.execPath, args: [...webNodeFlags(env), WEB_SERVER, "-p", port], env },
]);
