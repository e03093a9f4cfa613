"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { updatesPath } from "@/contract/advisory-list-query-string";
import { HealthBadge } from "@/components/health-badge";
import { MirrorLink } from "@/components/mirrors/mirror-link";
import { QueryStatus } from "@/components/query-status";
import { Table, rowThClass, tdClass, thClass } from "@/components/ui/table";
import { formatDuration } from "@/core/format/format-duration";
import { RelativeInstant } from "@/components/ui/relative-instant";
import { VERDICT_LABELS, VerdictIcon } from "@/components/verdict-badge";
import { VERDICT_STATUSES, type VerdictStatus } from "@/core/types";
import { useSummary } from "./hooks/use-summary";
import { PublishingCell } from "./publishing-strip";

/** A mirror × major that stopped publishing: marked red, not only in words. */
const STOPPED_ROW_CLASS = "bg-red-50 shadow-[inset_4px_0_0_0_rgb(220_38_38)] dark:bg-red-950/40";

type SummaryRow = NonNullable<ReturnType<typeof useSummary>["data"]>["rows"][number];

/** A count of one verdict on a mirror × major, linking to those updates: the table's cell and the phone card's figure. */
function VerdictCountLink({
  row,
  status,
  className,
  children,
}: {
  row: SummaryRow;
  status: VerdictStatus;
  className: string;
  children: ReactNode;
}) {
  return (
    <Link
      href={updatesPath({ mirror: [row.mirrorId], major: [row.major], verdict: [status] })}
      aria-label={`${row.counts[status]} ${VERDICT_LABELS[status]} on ${row.mirrorName} for RHEL ${row.major}`}
      className={className}
    >
      {children}
    </Link>
  );
}

/** The matrix on a phone: a card per mirror × major with its counts (links, as in the table), lag, last poll and our polling. */
function SummaryCards({ rows, now, caption }: { rows: SummaryRow[]; now: string; caption: string }) {
  return (
    <ul aria-label={caption} className="space-y-2 sm:hidden">
      {rows.map((row) => {
        const counts = VERDICT_STATUSES.filter((status) => (row.counts[status] ?? 0) > 0);
        return (
          <li
            key={`${row.mirrorId}:${row.major}`}
            className={`rounded-md border px-3 py-2 text-sm ${row.publishing.stoppedSince ? "border-red-400 border-l-4 dark:border-red-500" : "border-zinc-200 dark:border-zinc-800"}`}
          >
            <p className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
              <span className="font-medium">
                <MirrorLink mirrorId={row.mirrorId}>{row.mirrorName}</MirrorLink> · RHEL {row.major}
              </span>
              <span className="inline-flex items-center gap-1 text-xs">
                our polling <HealthBadge health={row.health} />
              </span>
            </p>
            <p className="mt-1 flex flex-wrap gap-x-3 gap-y-1">
              {counts.length === 0
                ? "no updates yet"
                : counts.map((status) => (
                    <VerdictCountLink
                      key={status}
                      row={row}
                      status={status}
                      className="inline-flex items-center gap-1 whitespace-nowrap text-link"
                    >
                      <VerdictIcon status={status} />
                      <span className="font-medium tabular-nums">{row.counts[status]}</span> {VERDICT_LABELS[status]}
                    </VerdictCountLink>
                  ))}
            </p>
            <div className="mt-1">
              <PublishingCell strip={row.publishing} />
            </div>
            <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
              median lag {row.medianLagSeconds === null ? "—" : formatDuration(row.medianLagSeconds)} · last successful poll{" "}
              {row.health.lastSuccessAt ? <RelativeInstant at={row.health.lastSuccessAt} now={now} /> : "never"}
            </p>
          </li>
        );
      })}
    </ul>
  );
}

/** Mirror × RHEL major: how many updates are in each verdict, how late they arrive, how fresh our view is. */
export function SummaryMatrix() {
  const summary = useSummary();
  if (!summary.data) return <QueryStatus query={summary} what="the summary" />;
  const { rows, now, advisoryCount } = summary.data;
  if (advisoryCount === 0 || rows.length === 0) return null;
  const caption = `Verdicts of ${advisoryCount} tracked advisories per mirror and RHEL major`;

  return (
    <section aria-labelledby="matrix-heading" className="space-y-2">
      <h2 id="matrix-heading" className="text-lg font-semibold">
        Mirrors × RHEL major
      </h2>
      <SummaryCards rows={rows} now={now} caption={caption} />
      {/* The table from 640 px up; a phone gets the cards above, every figure visible without scrolling sideways. */}
      <div className="hidden sm:block">
        <Table caption={caption}>
          <thead>
            <tr>
              <th scope="col" className={thClass}>
                Mirror · RHEL
              </th>
              {VERDICT_STATUSES.map((status) => (
                <th key={status} scope="col" className={`${thClass} text-right`}>
                  <span className="inline-flex items-center gap-1">
                    <VerdictIcon status={status} />
                    {VERDICT_LABELS[status]}
                  </span>
                </th>
              ))}
              <th scope="col" className={`${thClass} text-right`}>
                Median lag
              </th>
              <th scope="col" className={thClass}>
                Publishing, last 90 days
              </th>
              <th scope="col" className={thClass}>
                Our polling
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={`${row.mirrorId}:${row.major}`} className={row.publishing.stoppedSince ? STOPPED_ROW_CLASS : undefined}>
                <th scope="row" className={`${rowThClass} whitespace-nowrap`}>
                  <MirrorLink mirrorId={row.mirrorId}>{row.mirrorName}</MirrorLink> · RHEL {row.major}
                </th>
                {VERDICT_STATUSES.map((status) => {
                  const count = row.counts[status] ?? 0;
                  return (
                    <td key={status} className={`${tdClass} text-right tabular-nums`}>
                      {count === 0 ? (
                        <span className="text-zinc-400 dark:text-zinc-600">0</span>
                      ) : (
                        <VerdictCountLink row={row} status={status} className="font-medium text-link">
                          {count}
                        </VerdictCountLink>
                      )}
                    </td>
                  );
                })}
                <td className={`${tdClass} text-right tabular-nums whitespace-nowrap`}>
                  {row.medianLagSeconds === null ? "—" : formatDuration(row.medianLagSeconds)}
                  {row.beforeTrackingCount > 0 ? (
                    <span
                      className="block text-xs text-zinc-600 dark:text-zinc-400"
                      title="Published before srcwatch began watching this mirror, which gives no time of its own: they have no lag and are left out of the median."
                    >
                      {row.beforeTrackingCount} before tracking
                    </span>
                  ) : null}
                </td>
                <td className={tdClass}>
                  <PublishingCell strip={row.publishing} />
                </td>
                <td className={tdClass}>
                  <HealthBadge health={row.health} />
                  <span className="block whitespace-nowrap text-xs text-zinc-600 dark:text-zinc-400">
                    last poll {row.health.lastSuccessAt ? <RelativeInstant at={row.health.lastSuccessAt} now={now} /> : "never"}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      </div>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        n/a: updates the mirror does not carry — a stream it does not build (EUS, AUS, TUS, E4S), or released before it was tracked.
        Publishing: a bar per day, its height the updates the mirror published that day; a blank where we were not polling. Our polling:
        whether srcwatch can read the mirror, not whether the mirror publishes.
      </p>
    </section>
  );
}
