import Link from "next/link";
import type { AlertSummaryDto } from "@/contract/alert-dto";

const STATUSES = {
  firing: {
    icon: "●",
    label: "firing",
    className: "bg-red-50 text-red-800 ring-red-600/30 dark:bg-red-950 dark:text-red-200 dark:ring-red-400/30",
  },
  resolved: {
    icon: "✓",
    label: "resolved",
    className: "bg-emerald-50 text-emerald-800 ring-emerald-600/30 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-400/30",
  },
} as const;

/** Firing or resolved, as icon + word (never colour alone). */
export function AlertStatusBadge({ status }: { status: AlertSummaryDto["status"] }) {
  const { icon, label, className } = STATUSES[status];
  return (
    <span
      className={`inline-flex items-center gap-1 whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset ${className}`}
    >
      <span aria-hidden="true">{icon}</span>
      <span>{label}</span>
    </span>
  );
}

/** "folded into #12" (a stop) and "silenced": why a firing alert is not notified — "folded into", as the strip, timeline and mail say. */
export function AlertQuietMarks({ alert }: { alert: Pick<AlertSummaryDto, "inhibitedById" | "silenced" | "status"> }) {
  if (alert.status !== "firing" || (alert.inhibitedById === null && !alert.silenced)) return null;
  return (
    <span className="flex flex-wrap gap-x-2 text-xs text-zinc-600 dark:text-zinc-400">
      {alert.inhibitedById !== null ? (
        <span title="Folded into the mirror's publishing-stopped or partial-stop alert: not notified on its own">
          folded into{" "}
          <Link href={`/alerts/${alert.inhibitedById}`} className="text-sky-700 underline dark:text-sky-400">
            #{alert.inhibitedById}
          </Link>
        </span>
      ) : null}
      {alert.silenced ? (
        <span title="An active silence matches it: listed, not notified">
          <span aria-hidden="true">🔇 </span>silenced
        </span>
      ) : null}
    </span>
  );
}
