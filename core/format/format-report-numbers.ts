/**
 * The missing-update report's numeric columns: plain decimal numbers a spreadsheet reads as numbers, the same text in
 * the page's table, the printable view and the CSV.
 */

/** "12.5": days, one decimal. */
export function formatAgeDays(ageSeconds: number): string {
  return (ageSeconds / 86_400).toFixed(1);
}

/** "6.5": hours, one decimal; "" for no lag (published before tracking) — never 0. */
export function formatLagHours(lagSeconds: number | null): string {
  return lagSeconds === null ? "" : (lagSeconds / 3600).toFixed(1);
}
