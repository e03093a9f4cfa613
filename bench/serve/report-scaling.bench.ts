// npx tsx --conditions=react-server bench/serve/report-scaling.bench.ts --small 1x.db --large 10x.db --config srcwatch.json [--rounds 2]
//
// The report page alone at two sizes of data, web then bare, back to back on each database: the serving section's
// "10× the data" row for the report when the full section (7 URLs × 2 sizes, the 10× CSV alone takes minutes) shares
// the cores with other work. Seed the databases as the serving section does (bench/serve/seed-serving-data.cli.ts with
// --rounds 1 and 10, the same --now) and apply pending migrations to them (DATABASE_URL=file:… npm run migrate).
// Prints one line per round and the ratios as JSON.
import path from "node:path";
import { parseArgs } from "node:util";
import { measureUrl, type UrlMeasurement } from "./measure-url";
import { startServers } from "./run-serving-bench";

const { values } = parseArgs({
  options: { small: { type: "string" }, large: { type: "string" }, config: { type: "string" }, rounds: { type: "string", default: "2" } },
  strict: true,
});
if (!values.small || !values.large || !values.config) throw new Error("usage: --small FILE --large FILE --config FILE [--rounds N]");
const configFile = path.resolve(values.config);
const load = { warmupSeconds: 2, durationSeconds: 10, connections: 10 };

async function measure(databaseFile: string): Promise<{ web: UrlMeasurement[]; bare: UrlMeasurement[] }> {
  const { web, bare } = await startServers({ databaseFile, configFile, dataDir: path.dirname(databaseFile) });
  try {
    const result = { web: [] as UrlMeasurement[], bare: [] as UrlMeasurement[] };
    for (let round = 0; round < Number(values.rounds); round++) {
      result.web.push(await measureUrl(`${web.origin}/reports/missing`, load));
      result.bare.push(await measureUrl(`${bare.origin}/reports/missing`, load));
      const [w, b] = [result.web.at(-1)!, result.bare.at(-1)!];
      console.error(
        `[report] ${path.basename(databaseFile)} round ${round}: web p50 ${w.p50Ms.toFixed(0)} p95 ${w.p95Ms.toFixed(0)} ms` +
          ` | bare p50 ${b.p50Ms.toFixed(0)} p95 ${b.p95Ms.toFixed(0)} ms`,
      );
    }
    return result;
  } finally {
    await Promise.all([web.stop(), bare.stop()]);
  }
}

const median = (numbers: number[]) => numbers.toSorted((a, b) => a - b)[Math.floor(numbers.length / 2)];
const small = await measure(path.resolve(values.small));
const large = await measure(path.resolve(values.large));
const p95 = (runs: UrlMeasurement[]) => median(runs.map((run) => run.p95Ms));
console.log(
  JSON.stringify({
    webP95Ms: { small: p95(small.web), large: p95(large.web) },
    bareP95Ms: { small: p95(small.bare), large: p95(large.bare) },
    webGrowth: p95(large.web) / p95(small.web),
    webToBareSmall: p95(small.web) / p95(small.bare),
  }),
);
process.exit(0);
