import type { VerdictStatus } from "@/core/types";

export const VERDICT_LABELS: Record<VerdictStatus, string> = {
  published: "published",
  pending: "pending",
  delayed: "delayed",
  missing: "missing",
  unknown: "unknown",
  not_applicable: "n/a",
};

const ICONS: Record<VerdictStatus, string> = {
  published: "✓",
  pending: "◔",
  delayed: "⚠",
  missing: "✗",
  unknown: "?",
  not_applicable: "–",
};

const DESCRIPTIONS: Record<VerdictStatus, string> = {
  published: "sources are on the mirror",
  pending: "not on the mirror yet, within the expected lag",
  delayed: "not on the mirror, later than expected",
  missing: "not on the mirror long after release",
  unknown: "the mirror has not been polled recently enough to tell",
  not_applicable: "the mirror does not carry this RHEL major or stream",
};

const STYLES: Record<VerdictStatus, string> = {
  published: "bg-emerald-50 text-emerald-800 ring-emerald-600/30 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-400/30",
  pending: "bg-sky-50 text-sky-800 ring-sky-600/30 dark:bg-sky-950 dark:text-sky-200 dark:ring-sky-400/30",
  delayed: "bg-amber-50 text-amber-900 ring-amber-600/40 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-400/30",
  missing: "bg-red-50 text-red-800 ring-red-600/30 dark:bg-red-950 dark:text-red-200 dark:ring-red-400/30",
  unknown: "bg-zinc-100 text-zinc-700 ring-zinc-500/30 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-400/30",
  not_applicable: "bg-transparent text-zinc-500 ring-zinc-400/20 dark:text-zinc-400",
};

export function describeVerdict(status: VerdictStatus): string {
  return DESCRIPTIONS[status];
}

/** A verdict as icon + word (never colour alone). */
export function VerdictBadge({ status, suffix }: { status: VerdictStatus; suffix?: string }) {
  return (
    <span
      title={DESCRIPTIONS[status]}
      className={`inline-flex items-center gap-1 whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset ${STYLES[status]}`}
    >
      <span aria-hidden="true">{ICONS[status]}</span>
      <span>{VERDICT_LABELS[status]}</span>
      {suffix ? <span className="font-normal tabular-nums">· {suffix}</span> : null}
    </span>
  );
}

export function VerdictIcon({ status }: { status: VerdictStatus }) {
  return <span aria-hidden="true">{ICONS[status]}</span>;
}
