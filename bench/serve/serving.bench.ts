// npx tsx bench/serve/serving.bench.ts [--smoke] [--scale 10] [--verdicts 150000] [--duration 10] [--connections 10]
// The serving benchmark alone: prints a table of its figures, then the BenchSection as JSON on the last line.
import { parseArgs } from "node:util";
import { runServingBench } from "./run-serving-bench";

const { values } = parseArgs({
  options: {
    smoke: { type: "boolean", default: false },
    scale: { type: "string" },
    verdicts: { type: "string" },
    duration: { type: "string" },
    connections: { type: "string" },
  },
  strict: true,
});
const toNumber = (text: string | undefined) => (text === undefined ? undefined : Number(text));

const section = await runServingBench({
  smoke: values.smoke,
  scale: toNumber(values.scale),
  verdicts: toNumber(values.verdicts),
  durationSeconds: toNumber(values.duration),
  connections: toNumber(values.connections),
});
for (const figure of section.figures) {
  const ratio = figure.ratio === null ? "" : `${figure.ratio.toFixed(2)}×`;
  console.log(
    `${figure.met ? "met " : "MISS"} ${figure.metric.padEnd(52)} ${figure.value.toFixed(1).padStart(9)} ${(figure.baseline?.toFixed(1) ?? "").padStart(9)} ${ratio.padStart(8)}  ${figure.target}${figure.note ? `  (${figure.note})` : ""}`,
  );
}
console.log(JSON.stringify(section));
