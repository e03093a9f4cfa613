// npx tsx --conditions=react-server bench/evaluation/evaluation.bench.ts [--smoke] [--advisories 20000] [--cpu-window 60]
// Verdict and alert evaluation as ratios to a raw insert of the same rows, then the real worker's CPU and RSS at rest.
import { parseArgs } from "node:util";
import { runEvaluationBench } from "./run-evaluation-bench";

const { values } = parseArgs({
  options: { smoke: { type: "boolean", default: false }, advisories: { type: "string" }, "cpu-window": { type: "string" } },
});
const section = await runEvaluationBench({
  smoke: values.smoke,
  advisories: values.advisories === undefined ? undefined : Number(values.advisories),
  cpuWindowSeconds: values["cpu-window"] === undefined ? undefined : Number(values["cpu-window"]),
});
console.log(JSON.stringify(section, null, 2));
