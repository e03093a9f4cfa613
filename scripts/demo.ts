// npm run demo [-- options] (USAGE below; npm run demo -- --help prints it)
// The June 2023 story, offline: simulator, worker and web on one scenario clock.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { createScenarioClock } from "../simulator/scenario-clock";
import { loadScenarioAdvisories } from "../simulator/load-scenario-advisories";
import { startMailCatcher } from "../simulator/mail/start-mail-catcher";
import { startSimulator } from "../simulator/start-simulator";
import {
  ROOT,
  WEB_SERVER,
  WORKER_MAIN,
  webNodeFlags,
  workerNodeFlags,
  ensureWebBuild,
  runMigrations,
  runTogether,
} from "./run-processes.mjs";

const DEMO_SIMULATOR_ORIGIN = "http://127.0.0.1:4010";
/** After the scenario's last release, the mirrors still publish for a while: the clock stops a week later. */
const END_AFTER_LAST_RELEASE_MS = 7 * 24 * 3600 * 1000;

const USAGE = `usage: npm run demo [-- --port 3000 --speed 10800 --start 2023-06-10T00:00:00Z --cutoff 2023-06-14T00:00:00Z|never
                       --resume <ISO date> --simulator-port 4010 --smtp-port 4025 --data-dir data/demo --keep-data]`;

function readOptions() {
  try {
    return parseArgs({
      options: {
        help: { type: "boolean", short: "h", default: false },
        port: { type: "string", default: "3000" },
        speed: { type: "string", default: "10800" },
        start: { type: "string", default: "2023-06-10T00:00:00Z" },
        cutoff: { type: "string", default: "2023-06-14T00:00:00Z" },
        resume: { type: "string" },
        "smtp-port": { type: "string", default: "4025" },
        "simulator-port": { type: "string", default: "4010" },
        "data-dir": { type: "string", default: "data/demo" },
        "keep-data": { type: "boolean", default: false },
      },
    });
  } catch (error) {
    // An unknown or malformed option: its message and the usage, not a stack trace.
    console.error(`[demo] ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exit(2);
  }
}

const { values } = readOptions();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

function fail(message: string): never {
  console.error(`[demo] ${message}`);
  process.exit(2);
}

const speed = Number(values.speed);
if (!Number.isFinite(speed) || speed <= 0)
  fail(`--speed must be a positive number (scenario seconds per real second), got "${values.speed}"`);
const scenarioOrigin = new Date(values.start!);
if (Number.isNaN(scenarioOrigin.getTime())) fail(`--start must be an ISO date, got "${values.start}"`);
const cutoff = values.cutoff === "never" ? null : values.cutoff!;
if (cutoff && Number.isNaN(new Date(cutoff).getTime())) fail(`--cutoff must be an ISO date or "never", got "${values.cutoff}"`);
const resumeAt = values.resume ?? null;
if (resumeAt && (Number.isNaN(new Date(resumeAt).getTime()) || !cutoff || new Date(resumeAt) <= new Date(cutoff)))
  fail(`--resume must be an ISO date after --cutoff, got "${values.resume}"`);
const smtpPort = Number(values["smtp-port"]);
if (!Number.isInteger(smtpPort) || smtpPort < 1 || smtpPort > 65535)
  fail(`--smtp-port must be a port number, got "${values["smtp-port"]}"`);

// The app's state starts empty at every demo (the story replays); the simulator keeps its built repositories.
const demoDir = path.resolve(ROOT, values["data-dir"]!);
const dataDir = path.join(demoDir, "app");
if (!values["keep-data"]) rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });

const lastReleaseMs = Math.max(...loadScenarioAdvisories().map((advisory) => Date.parse(advisory.releasedAt)));
const clockEnd = new Date(lastReleaseMs + END_AFTER_LAST_RELEASE_MS);
if (clockEnd <= scenarioOrigin) fail(`--start must be before the end of the scenario's data (${clockEnd.toISOString()})`);
const realOrigin = Date.now();
const clock = createScenarioClock({ scenarioOrigin, speed, realOrigin, end: clockEnd });
// Mail the app sends (confirmations, alerts) lands here and is listed at <simulator>/_sim/mail.html.
const mailCatcher = await startMailCatcher({ port: smtpPort });
const simulator = await startSimulator({
  scenario: "june-2023",
  clock,
  port: Number(values["simulator-port"]),
  cutoff,
  resumeAt,
  mailbox: mailCatcher,
  dataDir: path.join(demoDir, "simulator"),
});

const configPath = path.join(dataDir, "config.json");
const demoConfig = JSON.parse(readFileSync(path.join(ROOT, "config/demo.json"), "utf8").replaceAll(DEMO_SIMULATOR_ORIGIN, simulator.url));
demoConfig.notifications.publicUrl = `http://localhost:${values.port}`;
demoConfig.notifications.email.smtp.port = mailCatcher.port;
writeFileSync(configPath, `${JSON.stringify(demoConfig, null, 2)}\n`);

const env: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: "production",
  NEXT_TELEMETRY_DISABLED: "1",
  SRCWATCH_DATA_DIR: dataDir,
  SRCWATCH_CONFIG: configPath,
  SRCWATCH_CLOCK_ORIGIN: scenarioOrigin.toISOString(),
  SRCWATCH_CLOCK_REAL_ORIGIN: String(realOrigin),
  SRCWATCH_CLOCK_SPEED: String(speed),
  SRCWATCH_CLOCK_END: clockEnd.toISOString(),
};
delete env.DATABASE_URL;

ensureWebBuild();
runMigrations(env);
console.log(
  `[demo] simulator on ${simulator.url} — scenario starts ${scenarioOrigin.toISOString()}, ${speed} scenario seconds per second, git.centos.org cut-off ${cutoff ?? "never"}${resumeAt ? `, resumes ${resumeAt}` : ""}`,
);
console.log(`[demo] dashboard on http://localhost:${values.port} — mail it sends: ${simulator.url}/_sim/mail.html`);
const realMsToEnd = (clockEnd.getTime() - scenarioOrigin.getTime()) / speed;
console.log(`[demo] the scenario's data ends ${clockEnd.toISOString()}: its clock stops there, in ${Math.round(realMsToEnd / 1000)} s`);
setTimeout(
  () =>
    console.log(`[demo] the clock has stopped at ${clockEnd.toISOString()}, the end of the scenario's data; the app stays up to browse`),
  realMsToEnd,
).unref();
runTogether(
  [
    { name: "worker", command: process.execPath, args: [...workerNodeFlags(env), WORKER_MAIN], env },
    { name: "web", command: process.execPath, args: [...webNodeFlags(env), WEB_SERVER, "-p", values.port!], env },
  ],
  {
    onExit: async () => {
      await Promise.all([simulator.close(), mailCatcher.close()]);
    },
  },
);
