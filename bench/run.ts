// npm run bench [-- --only serving,evaluation] [-- --smoke]
// Runs the benchmark sections in turn, prints their figures and writes bench/results/<YYYY-MM-DD>.json (a smoke run:
// bench/results/smoke-<YYYY-MM-DD>.json, git-ignored). Exits non-zero when a section crashes, never for a missed target.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { BenchFigure, BenchOptions, BenchSection } from "./bench-report";

type SectionRunner = (options: BenchOptions) => Promise<BenchSection>;

/** Loaded only when picked: each section brings its own servers and data. */
const SECTIONS = {
  serving: async () => (await import("./serve/run-serving-bench")).runServingBench,
  evaluation: async () => (await import("./evaluation/run-evaluation-bench")).runEvaluationBench,
  polling: async () => (await import("./polling/run-polling-bench")).runPollingBench,
  backfill: async () => (await import("./backfill/run-backfill-bench")).runBackfillBench,
  "scale-out": async () => (await import("./scale-out/run-scale-out-bench")).runScaleOutBench,
} satisfies Record<string, () => Promise<SectionRunner>>;
type SectionName = keyof typeof SECTIONS;
const SECTION_NAMES = Object.keys(SECTIONS) as SectionName[];

interface BenchResults {
  date: string;
  isSmoke: boolean;
  machine: { cpus: number; model: string; memoryGiB: number; node: string; os: string };
  sections: BenchSection[];
  /** How long each section took and how busy the machine was (1-minute load average) before and after it. */
  conditions: Array<{ section: string; seconds: number; loadAverageBefore: number; loadAverageAfter: number }>;
  /** Sections that crashed in the latest run, with the error. */
  failures: Array<{ section: string; error: string }>;
}

const { values } = parseArgs({ options: { only: { type: "string" }, smoke: { type: "boolean", default: false } } });
const picked = values.only ? values.only.split(",").map((name) => name.trim()) : SECTION_NAMES;
const unknown = picked.filter((name) => !(name in SECTIONS));
if (unknown.length) {
  console.error(`unknown section(s): ${unknown.join(", ")}; known: ${SECTION_NAMES.join(", ")}`);
  process.exit(2);
}

function formatNumber(value: number | null): string {
  if (value === null) return "—";
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 1 ? value.toFixed(2) : value.toPrecision(2);
}

function printTable(sections: BenchSection[], isSmoke: boolean): void {
  const header = ["section", "metric", "value", "baseline", "ratio", "target", isSmoke ? "met (smoke: meaningless)" : "met"];
  const rows = sections.flatMap((section) =>
    section.figures.map((figure: BenchFigure) => [
      section.name,
      figure.metric,
      formatNumber(figure.value),
      formatNumber(figure.baseline),
      figure.ratio === null ? "—" : `${formatNumber(figure.ratio)}×`,
      figure.target,
      figure.met ? "met" : "MISSED",
    ]),
  );
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column])).join("  ");
  console.log(`\n${line(header)}\n${widths.map((width) => "-".repeat(width)).join("  ")}`);
  for (const row of rows) console.log(line(row));
  const notes = sections.flatMap((section) => section.figures.filter((figure) => figure.note).map((figure) => ({ section, figure })));
  if (notes.length) console.log("");
  for (const { section, figure } of notes) console.log(`${section.name} / ${figure.metric}: ${figure.note}`);
}

const isSmoke = values.smoke;
const sections: BenchSection[] = [];
const failures: BenchResults["failures"] = [];
const conditions: BenchResults["conditions"] = [];
for (const name of picked as SectionName[]) {
  console.log(`== ${name}${isSmoke ? " (smoke)" : ""}`);
  const startedAt = performance.now();
  const loadAverageBefore = os.loadavg()[0];
  try {
    const run: SectionRunner = await SECTIONS[name]();
    sections.push(await run({ smoke: isSmoke }));
  } catch (error) {
    console.error(`== ${name} CRASHED`, error);
    failures.push({ section: name, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
  const seconds = Math.round((performance.now() - startedAt) / 100) / 10;
  const round = (load: number) => Math.round(load * 100) / 100;
  conditions.push({ section: name, seconds, loadAverageBefore: round(loadAverageBefore), loadAverageAfter: round(os.loadavg()[0]) });
  console.log(`== ${name} ended after ${seconds} s (load average ${round(loadAverageBefore)} → ${round(os.loadavg()[0])})`);
}

const date = new Date().toISOString().slice(0, 10);
const resultsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "results");
const file = path.join(resultsDir, `${isSmoke ? "smoke-" : ""}${date}.json`);
// A run of some sections keeps the other sections measured earlier the same day.
const earlier = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as BenchResults) : null;
const ran = new Set<string>(picked);
const results: BenchResults = {
  date,
  isSmoke,
  machine: {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  },
  sections: [...(earlier?.sections.filter((section) => !ran.has(section.name)) ?? []), ...sections].sort(
    (a, b) => SECTION_NAMES.indexOf(a.name as SectionName) - SECTION_NAMES.indexOf(b.name as SectionName),
  ),
  conditions: [...(earlier?.conditions?.filter((condition) => !ran.has(condition.section)) ?? []), ...conditions],
  failures: [...(earlier?.failures.filter((failure) => !ran.has(failure.section)) ?? []), ...failures],
};
mkdirSync(resultsDir, { recursive: true });
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);

printTable(sections, isSmoke);
console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
if (failures.length) {
  console.error(`crashed: ${failures.map((failure) => failure.section).join(", ")}`);
  process.exit(1);
}
// A section may leave a handle open (a pool, a timer): the run is over.
process.exit(0);
