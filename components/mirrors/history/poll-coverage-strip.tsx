import { formatDate, formatInstant } from "@/core/format/format-instant";
import type { PollCoverageCellDto, PollCoverageDto } from "@/contract/mirror-history-dto";
import { describePollCoverage } from "./describe-mirror-history";

// Fill, stripes and an empty dashed box: the three states differ by shape as well as colour.
const CELL_STYLES: Record<PollCoverageCellDto["status"], string> = {
  ok: "bg-emerald-600 dark:bg-emerald-500",
  failing:
    "bg-[repeating-linear-gradient(135deg,var(--color-red-700)_0_3px,var(--color-red-300)_3px_6px)] dark:bg-[repeating-linear-gradient(135deg,var(--color-red-400)_0_3px,var(--color-red-900)_3px_6px)]",
  gap: "border border-dashed border-zinc-400 bg-transparent dark:border-zinc-600",
};

const STATUS_LABELS: Record<PollCoverageCellDto["status"], string> = {
  ok: "ok: a successful poll",
  failing: "failing: only failed polls",
  gap: "gap: srcwatch did not poll (no data)",
};

function describeCell(cell: PollCoverageCellDto, unit: PollCoverageDto["unit"]): string {
  const when = unit === "day" ? formatDate(cell.startAt) : formatInstant(cell.startAt);
  if (cell.status === "gap") return `${when}: no poll, no data`;
  const counts = [cell.successCount ? `${cell.successCount} successful` : null, cell.failureCount ? `${cell.failureCount} failed` : null]
    .filter(Boolean)
    .join(", ");
  return `${when}: ${cell.status} (${counts})`;
}

export function PollCoverageLegend() {
  return (
    <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-zinc-700 dark:text-zinc-300">
      {(["ok", "failing", "gap"] as const).map((status) => (
        <li key={status} className="inline-flex items-center gap-1.5">
          <span aria-hidden="true" className={`inline-block h-3 w-3 rounded-sm ${CELL_STYLES[status]}`} />
          {STATUS_LABELS[status]}
        </li>
      ))}
    </ul>
  );
}

/** One cell per hour or day: did srcwatch have a successful poll of the mirror, only failures, or none (a gap, never healthy)? */
export function PollCoverageStrip({ coverage, title }: { coverage: PollCoverageDto; title: string }) {
  const first = coverage.cells[0];
  const last = coverage.cells.at(-1);
  const format = coverage.unit === "day" ? formatDate : formatInstant;
  return (
    <div className="space-y-1">
      <h3 className="text-sm font-semibold">{title}</h3>
      <p className="text-xs text-zinc-600 dark:text-zinc-400">{describePollCoverage(coverage)}</p>
      <ol aria-label={title} className="flex h-8 gap-px">
        {coverage.cells.map((cell) => {
          const label = describeCell(cell, coverage.unit);
          return (
            <li key={cell.startAt} className="flex min-w-0 flex-1">
              <span role="img" aria-label={label} title={label} className={`block w-full rounded-[2px] ${CELL_STYLES[cell.status]}`} />
            </li>
          );
        })}
      </ol>
      {first && last ? (
        <div aria-hidden="true" className="flex justify-between text-xs tabular-nums text-zinc-600 dark:text-zinc-400">
          <span>{format(first.startAt)}</span>
          <span>{format(last.startAt)}</span>
        </div>
      ) : null}
    </div>
  );
}
