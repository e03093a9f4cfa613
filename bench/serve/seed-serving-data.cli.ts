// tsx --conditions=react-server bench/serve/seed-serving-data.cli.ts --database F --config F --advisories N --rounds N --now ISO
// Run in its own process by runServingBench; prints the ServingDataSummary as JSON on its last line.
import { parseArgs } from "node:util";
import { seedServingData } from "./seed-serving-data";

const { values } = parseArgs({
  options: {
    database: { type: "string" },
    config: { type: "string" },
    advisories: { type: "string", default: "12500" },
    rounds: { type: "string", default: "1" },
    now: { type: "string" },
  },
  strict: true,
});
if (!values.database || !values.config || !values.now)
  throw new Error("usage: --database FILE --config FILE --advisories N --rounds N --now ISO");

const summary = await seedServingData({
  databaseFile: values.database,
  configFile: values.config,
  advisoriesPerRound: Number(values.advisories),
  rounds: Number(values.rounds),
  now: new Date(values.now),
});
console.log(JSON.stringify(summary));
