// npx tsx --conditions=react-server bench/scale-out/scale-out.bench.ts [--smoke]
// The scale-out benchmark alone (PostgreSQL at TEST_POSTGRES_URL): prints its section as JSON on the last line.
import { parseArgs } from "node:util";
import { runScaleOutBench } from "./run-scale-out-bench";

const { values } = parseArgs({ options: { smoke: { type: "boolean", default: false } }, strict: true });
const section = await runScaleOutBench({ smoke: values.smoke });
for (const figure of section.figures)
  console.log(
    `${figure.met ? "met " : "MISS"} ${figure.metric}: ${figure.value.toFixed(0)} vs ${figure.baseline?.toFixed(0)} (${figure.ratio?.toFixed(2)}×)`,
  );
console.log(JSON.stringify(section));
