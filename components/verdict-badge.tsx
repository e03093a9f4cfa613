import type { VerdictStatus } from "@/core/types";
import type { VerdictStatusReason } from "@/contract/verdict-dto";

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
  unknown: "not known yet: our data about the mirror is stale, or no poll has asked about it yet",
  not_applicable: "the mirror does not carry this RHEL major or stream",
};

/** The badge's look per status (app/globals.css: .verdict-badge and one class per status). */
const STYLES: Record<VerdictStatus, string> = {
  published: "verdict-published",
  pending: "verdict-pending",
  delayed: "verdict-delayed",
  missing: "verdict-missing",
  unknown: "verdict-unknown",
  not_applicable: "verdict-not-applicable",
};

const REASON_LABELS: Record<VerdictStatusReason, string | null> = {
  stale: "our data is stale",
  not_checked: "not checked yet",
  // The default reason of n/a: the badge's own words say it.
  not_carried: null,
  before_tracked_from: "before the mirror began",
};

const REASON_DESCRIPTIONS: Record<VerdictStatusReason, string> = {
  stale: "unknown: our polls of this mirror have not succeeded recently enough to tell (our outage, not the mirror's failure)",
  not_checked: "not checked yet: no poll of this mirror has asked about this package yet, which is not the same as missing",
  not_carried: DESCRIPTIONS.not_applicable,
  before_tracked_from: "not applicable: released before the mirror began (its trackedFrom date), and the mirror does not have it",
};

export function describeVerdict(status: VerdictStatus, reason: VerdictStatusReason | null = null): string {
  return reason ? REASON_DESCRIPTIONS[reason] : DESCRIPTIONS[status];
}

/** Why unknown or n/a, in a few words: "not checked yet", "our data is stale", "before the mirror began"; else null. */
export function formatStatusReason(reason: VerdictStatusReason | null | undefined): string | null {
  return reason ? REASON_LABELS[reason] : null;
}

/**
 * A verdict as icon + word (never colour alone). `suffix`: a lag ("6 h", "≤ 6 h", "before tracking"); `reason`: why
 * unknown or n/a, said after the word when there is no suffix; `title`: a tooltip instead of the status's description.
 */
export function VerdictBadge({
  status,
  suffix,
  reason,
  title,
}: {
  status: VerdictStatus;
  suffix?: string;
  reason?: VerdictStatusReason | null;
  title?: string;
}) {
  const shownSuffix = suffix ?? formatStatusReason(reason);
  return (
    <span title={title ?? describeVerdict(status, reason ?? null)} className={`verdict-badge ${STYLES[status]}`}>
      <span aria-hidden="true">{ICONS[status]}</span>
      <span>{VERDICT_LABELS[status]}</span>
      {shownSuffix ? <span className="font-normal tabular-nums">· {shownSuffix}</span> : null}
    </span>
  );
}

export function VerdictIcon({ status }: { status: VerdictStatus }) {
  return <span aria-hidden="true">{ICONS[status]}</span>;
}
