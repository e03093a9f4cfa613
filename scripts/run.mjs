// npm run web / npm run worker: one of the two processes alone, started with its Node flags (webNodeFlags,
// workerNodeFlags: the heap bound), which a process cannot give itself once Node runs. Arguments pass through:
// npm run web -- -p 8080 -H 127.0.0.1, npm run worker -- --once
import { spawn } from "node:child_process";
import { ROOT, WEB_SERVER, webNodeFlags, WORKER_MAIN, workerNodeFlags } from "./run-processes.mjs";

const [which, ...args] = process.argv.slice(2);
const processes = {
  web: () => [...webNodeFlags(), WEB_SERVER],
  worker: () => [...workerNodeFlags(), WORKER_MAIN],
};
if (!(which in processes)) {
  console.error(`usage: node scripts/run.mjs web|worker [arguments]`);
  process.exit(2);
}
const child = spawn(process.execPath, [...processes[which](), ...args], { cwd: ROOT, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
