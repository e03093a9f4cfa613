// The shape every benchmark returns to bench/run.ts: figures as ratios against a baseline measured in the same run.

export interface BenchFigure {
  /** What is measured, e.g. "overview p95 (ms)". */
  metric: string;
  /** srcwatch's figure. */
  value: number;
  /** The same figure for the baseline in the same run (bare server, raw insert, …); null when the target is absolute. */
  baseline: number | null;
  /** value / baseline when there is a baseline, else null. */
  ratio: number | null;
  /** The target in words, e.g. "≤ 2× bare server and < 50 ms". */
  target: string;
  /** Whether the target was met. */
  met: boolean;
  /** Why it missed, or anything a reader needs to read the figure. */
  note?: string;
}

export interface BenchSection {
  /** serving, evaluation, polling, backfill */
  name: string;
  /** Sizes and settings the figures were measured at. */
  parameters: Record<string, number | string | boolean>;
  figures: BenchFigure[];
}

export interface BenchOptions {
  /** Tiny sizes, for CI: proves the benchmark still runs; its figures mean nothing. */
  smoke: boolean;
}

export function ratioFigure(
  input: Omit<BenchFigure, "ratio" | "met"> & { isMet: (value: number, ratio: number | null) => boolean },
): BenchFigure {
  const ratio = input.baseline === null || input.baseline === 0 ? null : input.value / input.baseline;
  const { isMet, ...figure } = input;
  return { ...figure, ratio, met: isMet(input.value, ratio) };
}
