/**
 * Chart colours as CSS variables set on the chart's wrapper, so light and dark mode switch with `dark:`.
 * Recharts paints SVG attributes, which read `var(...)` like any CSS value.
 */
export const chartColorClasses = [
  "text-zinc-600 dark:text-zinc-400",
  "[--chart-grid:var(--color-zinc-200)] dark:[--chart-grid:var(--color-zinc-800)]",
  "[--chart-released:var(--color-zinc-500)] dark:[--chart-released:var(--color-zinc-400)]",
  "[--chart-published:var(--color-sky-700)] dark:[--chart-published:var(--color-sky-400)]",
  "[--chart-stop:var(--color-red-700)] dark:[--chart-stop:var(--color-red-400)]",
  "[--chart-p50:var(--color-emerald-700)] dark:[--chart-p50:var(--color-emerald-400)]",
  "[--chart-p90:var(--color-amber-700)] dark:[--chart-p90:var(--color-amber-400)]",
  "[--chart-p99:var(--color-red-700)] dark:[--chart-p99:var(--color-red-400)]",
  "[--chart-tooltip-bg:var(--color-white)] dark:[--chart-tooltip-bg:var(--color-zinc-900)]",
  "[--chart-tooltip-border:var(--color-zinc-300)] dark:[--chart-tooltip-border:var(--color-zinc-700)]",
].join(" ");

/** Keeps tooltip and legend entries in the order the series are drawn (recharts sorts them by name). */
export const keepSeriesOrder = () => 0;

export const tooltipStyle = {
  contentStyle: { background: "var(--chart-tooltip-bg)", border: "1px solid var(--chart-tooltip-border)", borderRadius: 6, fontSize: 12 },
  labelStyle: { color: "inherit", fontWeight: 600 },
} as const;
