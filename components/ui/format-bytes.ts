const UNITS = ["B", "kB", "MB", "GB", "TB"];

/** Decimal units, one decimal under 10: "512 B", "3.4 MB", "120 kB". */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit > 0 && value < 10 ? 1 : 0;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}
