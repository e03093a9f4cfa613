/**
 * The p-th percentile (0–100) with linear interpolation between closest ranks (R-7, as numpy and spreadsheets).
 * Throws on an empty list: callers decide what "no lag yet" shows.
 */
export function percentile(numbers: readonly number[], p: number): number {
  if (numbers.length === 0) throw new RangeError("percentile of an empty list");
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  if (numbers.some((value) => !Number.isFinite(value))) throw new RangeError("percentile of a list with a non-finite value");
  const sorted = [...numbers].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (rank - lower);
}

export function median(numbers: readonly number[]): number {
  return percentile(numbers, 50);
}
