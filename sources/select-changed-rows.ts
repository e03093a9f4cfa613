/**
 * Rows of a change index (CSAF changes.csv, OSV modified_id.csv) to fetch: the latest row per key,
 * newer than the cursor — or, on a first sync (cursor null), from the start date — oldest first so
 * the cursor can follow what succeeded.
 */
export function selectChangedRows<T>(
  rows: readonly T[],
  input: { keyOf: (row: T) => string; timeOf: (row: T) => Date; afterMs: number | null; fromMs: number },
): T[] {
  const latest = new Map<string, T>();
  for (const row of rows) {
    const time = input.timeOf(row).getTime();
    if (input.afterMs === null ? time < input.fromMs : time <= input.afterMs) continue;
    const seen = latest.get(input.keyOf(row));
    if (!seen || input.timeOf(seen).getTime() < time) latest.set(input.keyOf(row), row);
  }
  return [...latest.values()].sort(
    (a, b) => input.timeOf(a).getTime() - input.timeOf(b).getTime() || input.keyOf(a).localeCompare(input.keyOf(b)),
  );
}
