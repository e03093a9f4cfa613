import Link from "next/link";
import { formatBytes } from "@/components/ui/format-bytes";
import { formatDuration } from "@/core/format/format-duration";
import { Instant } from "@/components/ui/instant";
import { Table, rowThClass, tdClass, thClass } from "@/components/ui/table";
import type { PollRunDto } from "@/contract/poll-run-dto";
import { PollRunRemarks } from "@/components/poll-runs/poll-run-remarks";

const SHOWN_RUN_COUNT = 20;

const OUTCOMES: Record<PollRunDto["outcome"], { icon: string; className: string }> = {
  running: { icon: "⟳", className: "text-sky-800 dark:text-sky-300" },
  success: { icon: "✓", className: "text-emerald-800 dark:text-emerald-300" },
  partial: { icon: "◐", className: "text-amber-900 dark:text-amber-300" },
  failed: { icon: "✗", className: "text-red-800 dark:text-red-300" },
};

export function RecentPollRuns({ mirrorId, mirrorName, pollRuns }: { mirrorId: string; mirrorName: string; pollRuns: PollRunDto[] }) {
  const shown = pollRuns.slice(0, SHOWN_RUN_COUNT);
  return (
    <section aria-labelledby="poll-runs-heading" className="space-y-2">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="poll-runs-heading" className="text-lg font-semibold">
          Recent poll runs
        </h2>
        <Link href={`/poll-runs?source=${encodeURIComponent(mirrorId)}`} className="text-sm text-sky-700 underline dark:text-sky-400">
          All poll runs of {mirrorName}
        </Link>
      </div>
      {shown.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">srcwatch has not polled {mirrorName} yet.</p>
      ) : (
        <Table caption={`The ${shown.length} most recent polls of ${mirrorName}`} isCaptionVisible={false}>
          <thead>
            <tr>
              <th scope="col" className={thClass}>
                Started
              </th>
              <th scope="col" className={thClass}>
                Outcome
              </th>
              <th scope="col" className={`${thClass} text-right`}>
                Took
              </th>
              <th scope="col" className={`${thClass} text-right`}>
                Requests
              </th>
              <th scope="col" className={`${thClass} text-right`}>
                304
              </th>
              <th scope="col" className={`${thClass} text-right`}>
                Bytes
              </th>
              <th scope="col" className={`${thClass} text-right`}>
                New builds
              </th>
              <th scope="col" className={thClass}>
                Error and notes
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((run) => {
              const outcome = OUTCOMES[run.outcome];
              return (
                <tr key={run.id}>
                  <th scope="row" className={`${rowThClass} font-normal`}>
                    <Instant at={run.startedAt} />
                  </th>
                  <td className={tdClass}>
                    <span className={`inline-flex items-center gap-1 whitespace-nowrap font-medium ${outcome.className}`}>
                      <span aria-hidden="true">{outcome.icon}</span>
                      {run.outcome}
                    </span>
                  </td>
                  <td className={`${tdClass} whitespace-nowrap text-right tabular-nums`}>
                    {run.durationSeconds !== null ? formatDuration(run.durationSeconds, { isSubMinutePrecise: true }) : "…"}
                  </td>
                  <td className={`${tdClass} text-right tabular-nums`}>{run.requests}</td>
                  <td className={`${tdClass} text-right tabular-nums`}>{run.notModified}</td>
                  <td className={`${tdClass} whitespace-nowrap text-right tabular-nums`}>{formatBytes(run.bytes)}</td>
                  <td className={`${tdClass} text-right tabular-nums`}>{run.items}</td>
                  <td className={`${tdClass} min-w-48 max-w-md`}>
                    <PollRunRemarks run={run} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </Table>
      )}
    </section>
  );
}
