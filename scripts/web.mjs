// npm run web: the production web server alone, started with its Node flags (webNodeFlags: the heap bound), which a
// script cannot give itself once Node runs. Arguments pass through: npm run web -- -p 8080 -H 127.0.0.1
import { spawn } from "node:child_process";
import { ROOT, WEB_SERVER, webNodeFlags } from "./run-processes.mjs";

const child = spawn(process.execPath, [...webNodeFlags(), WEB_SERVER, ...process.argv.slice(2)], { cwd: ROOT, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
