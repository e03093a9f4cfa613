import type { ReactNode } from "react";
import { HealthBadge } from "@/components/health-badge";
import { formatDuration } from "@/core/format/format-duration";
import { Instant } from "@/components/ui/instant";
import { RelativeInstant } from "@/components/ui/relative-instant";
import type { MirrorHistoryResponse } from "@/contract/mirror-history-dto";

function Term({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="space-y-0.5">
      <dt className="text-xs font-semibold uppercase tracking-wide text-zinc-600 dark:text-zinc-400">{label}</dt>
      <dd className="text-sm">{children}</dd>
    </div>
  );
}

/** Whether srcwatch can read the mirror — not whether the mirror publishes. Repology-style: last success, last failure with its kind and message, consecutive failures, how often and how strictly we look. */
export function MirrorHealthSummary({ history }: { history: MirrorHistoryResponse }) {
  const { health, mirror, now } = history;
  return (
    <section aria-labelledby="health-heading" className="space-y-3 rounded-md border border-zinc-200 p-4 dark:border-zinc-800">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <h2 id="health-heading" className="text-lg font-semibold">
          Our polling of this mirror
        </h2>
        <HealthBadge health={health} />
      </div>
      <dl className="grid grid-cols-1 gap-x-6 gap-y-3 sm:grid-cols-2 lg:grid-cols-4">
        <Term label="Last success">
          {health.lastSuccessAt ? (
            <>
              <RelativeInstant at={health.lastSuccessAt} now={now} /> · <Instant at={health.lastSuccessAt} />
            </>
          ) : (
            "never"
          )}
        </Term>
        <Term label="Last failure">
          {health.lastFailureAt ? (
            <>
              <RelativeInstant at={health.lastFailureAt} now={now} /> · <Instant at={health.lastFailureAt} />
              {health.lastErrorKind ? <span className="block font-medium">{health.lastErrorKind}</span> : null}
              {health.lastErrorMessage ? (
                <span className="block break-words text-xs text-zinc-600 dark:text-zinc-400">{health.lastErrorMessage}</span>
              ) : null}
            </>
          ) : (
            "none"
          )}
        </Term>
        <Term label="Consecutive failures">
          <span className={health.consecutiveFailures > 0 ? "font-semibold text-red-800 dark:text-red-300" : undefined}>
            {health.consecutiveFailures}
          </span>
        </Term>
        <Term label="Polling">every {formatDuration(mirror.pollIntervalSeconds)}</Term>
        <Term label="Pending until">{formatDuration(mirror.expectedLagHours * 3600)} after release</Term>
        <Term label="Missing after">{formatDuration(mirror.missingAfterHours * 3600)} after release</Term>
        <Term label="Unknown after">{formatDuration(mirror.staleAfterMinutes * 60)} without a successful poll</Term>
        <Term label="Carries">
          RHEL {mirror.majors.join(", ")} · {mirror.streams.join(", ")}
          {mirror.relation === "related" ? " · related builds" : ""}
        </Term>
      </dl>
    </section>
  );
}
