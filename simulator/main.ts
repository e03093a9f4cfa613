import path from "node:path";
import { parseArgs } from "node:util";
import { createScenarioClock } from "./scenario-clock";
import { JUNE_2023_DEFAULT_CUTOFF } from "./scenarios/june-2023";
import { startSimulator } from "./start-simulator";

const USAGE = `Usage: npx tsx simulator/main.ts [--port 4010] [--speed 3600] [--start 2023-06-01T00:00:00Z]
       [--real-origin <epoch ms>] [--cutoff ${JUNE_2023_DEFAULT_CUTOFF}|never] [--data-dir data/simulator]`;

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4010" },
    speed: { type: "string", default: "3600" },
    start: { type: "string", default: "2023-06-01T00:00:00Z" },
    "real-origin": { type: "string" },
    cutoff: { type: "string", default: JUNE_2023_DEFAULT_CUTOFF },
    "data-dir": { type: "string", default: "data/simulator" },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const port = Number(values.port);
const speed = Number(values.speed);
const scenarioOrigin = new Date(values.start);
const realOrigin = values["real-origin"] === undefined ? undefined : Number(values["real-origin"]);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a port number, got ${values.port}`);
if (!(speed > 0)) fail(`--speed must be a positive number, got ${values.speed}`);
if (Number.isNaN(scenarioOrigin.getTime())) fail(`--start must be an ISO date, got ${values.start}`);
if (realOrigin !== undefined && !Number.isInteger(realOrigin)) fail(`--real-origin must be epoch milliseconds`);
const cutoff = values.cutoff === "never" ? null : values.cutoff;
if (cutoff !== null && Number.isNaN(Date.parse(cutoff))) fail(`--cutoff must be an ISO date or "never", got ${values.cutoff}`);

const clock = createScenarioClock({ scenarioOrigin, speed, realOrigin });
const startedAt = performance.now();
const simulator = await startSimulator({ scenario: "june-2023", clock, port, cutoff, dataDir: path.resolve(values["data-dir"]) }).catch(
  (error: NodeJS.ErrnoException) => {
    console.error(error.code === "EADDRINUSE" ? `Port ${port} is already in use (another simulator running?)` : error);
    process.exit(1);
  },
);

console.log(`srcwatch simulator (june-2023) ready in ${Math.round(performance.now() - startedAt)} ms
  CSAF feed:      ${simulator.csafBaseUrl}
  git forge:      ${simulator.gitBaseUrl}/<name>.git
  Pagure API:     ${simulator.pagureApiUrl}
  clock:          ${simulator.url}/_sim/clock (now ${clock.now().toISOString()}, ×${speed})
  faults:         POST ${simulator.url}/_sim/faults {"target":"csaf"|"git","fault":{"mode":"down"}|null}
  cut-off:        ${cutoff ?? "never"}
The same clock for the web app and the worker:
${Object.entries(clock.env)
  .map(([name, value]) => `  ${name}=${value}`)
  .join("\n")}`);

let isClosing = false;
const shutdown = (signal: string) => {
  if (isClosing) return;
  isClosing = true;
  console.log(`${signal}: closing the simulator`);
  simulator.close().then(
    () => process.exit(0),
    (error: Error) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.on("SIGINT", () => shutdown("SIGINT"));
process.on("SIGTERM", () => shutdown("SIGTERM"));
