// npx tsx --conditions=react-server bench/backfill/backfill.bench.ts [--smoke] [--advisories 10000]
// A first sync of the upstream feed at scale: wall time and peak RSS next to the raw parse + insert limit.
import { parseArgs } from "node:util";
import { runBackfillBench } from "./run-backfill-bench";

const { values } = parseArgs({ options: { smoke: { type: "boolean", default: false }, advisories: { type: "string" } } });
const section = await runBackfillBench({
  smoke: values.smoke,
  advisoryCount: values.advisories === undefined ? undefined : Number(values.advisories),
});
console.log(JSON.stringify(section, null, 2));
