// npx tsx --conditions=react-server bench/polling/polling.bench.ts [--smoke] [--packages 1000,10000,100000]
// Requests and bytes of a no-change poll cycle as the catalogue grows (simulator at scale), as ratios to the smallest.
import { parseArgs } from "node:util";
import { runPollingBench } from "./run-polling-bench";

const { values } = parseArgs({ options: { smoke: { type: "boolean", default: false }, packages: { type: "string" } } });
const packageCounts = values.packages?.split(",").map(Number);
const section = await runPollingBench({ smoke: values.smoke, packageCounts });
console.log(JSON.stringify(section, null, 2));
