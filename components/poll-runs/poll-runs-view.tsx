"use client";

import { useSearchParams } from "next/navigation";
import { useId, useMemo } from "react";
import { useMirrors } from "@/components/mirrors/hooks/use-mirrors";
import { QueryStatus } from "@/components/query-status";
import { parseQueryString, toQueryString } from "@/contract/query-string";
import { formatBytes } from "@/components/ui/format-bytes";
import { formatDuration } from "@/core/format/format-duration";
import { Instant } from "@/components/ui/instant";
import { Panel } from "@/components/ui/panel";
import { Table, rowThClass, tdClass, thClass } from "@/components/ui/table";
import { PollRunsQuery, type PollRunDto } from "@/contract/poll-run-dto";
import { usePollRuns } from "./hooks/use-poll-runs";
import { PollRunRemarks } from "./poll-run-remarks";

const DEFAULT_QUERY = PollRunsQuery.parse({});

const OUTCOMES: Record<PollRunDto["outcome"], { icon: string; className: string }> = {
  running: { icon: "⟳", className: "text-sky-800 dark:text-sky-300" },
  success: { icon: "✓", className: "text-emerald-800 dark:text-emerald-300" },
  partial: { icon: "◐", className: "text-amber-900 dark:text-amber-300" },
  failed: { icon: "✗", className: "text-red-800 dark:text-red-300" },
};

function OutcomeLabel({ outcome }: { outcome: PollRunDto["outcome"] }) {
  const { icon, className } = OUTCOMES[outcome];
  return (
    <span className={`inline-flex items-center gap-1 whitespace-nowrap font-medium ${className}`}>
      <span aria-hidden="true">{icon}</span>
      {outcome}
    </span>
  );
}

export function PollRunsView() {
  const selectId = useId();
  const searchParams = useSearchParams();
  const parsed = useMemo(() => parseQueryString(PollRunsQuery, new URLSearchParams(searchParams.toString())), [searchParams]);
  const query = parsed.success ? parsed.data : DEFAULT_QUERY;
  const pollRuns = usePollRuns(query);
  const mirrors = useMirrors();

  if (!parsed.success) {
    return (
      <Panel tone="error" role="alert" title="This filter is not valid">
        <p>{parsed.message}</p>
      </Panel>
    );
  }

  const sources = [...(mirrors.data?.upstreams ?? []), ...(mirrors.data?.mirrors ?? [])];
  const names = new Map(sources.map((source) => [source.id, source.name]));
  const onSourceChange = (source: string) => {
    const queryString = toQueryString({
      source: source || undefined,
      limit: query.limit === DEFAULT_QUERY.limit ? undefined : query.limit,
    });
    window.history.replaceState(null, "", queryString ? `/poll-runs?${queryString}` : "/poll-runs");
  };
  const data = pollRuns.data;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        <div className="flex flex-col gap-1">
          <label htmlFor={selectId} className="text-xs font-semibold uppercase tracking-wide text-zinc-600 dark:text-zinc-400">
            Source
          </label>
          <select
            id={selectId}
            value={query.source ?? ""}
            onChange={(event) => onSourceChange(event.target.value)}
            className="rounded border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900"
          >
            <option value="">All sources</option>
            {sources.map((source) => (
              <option key={source.id} value={source.id}>
                {source.name}
              </option>
            ))}
            {query.source && !names.has(query.source) ? <option value={query.source}>{query.source}</option> : null}
          </select>
        </div>
        {pollRuns.isPlaceholderData ? (
          <p role="status" className="text-sm text-zinc-500 dark:text-zinc-400">
            Updating…
          </p>
        ) : null}
      </div>
      {!data ? (
        <QueryStatus query={pollRuns} what="poll runs" />
      ) : data.items.length === 0 ? (
        <Panel tone="neutral" title="No poll runs yet.">
          <p>The worker records one run per poll of each source. Is it running?</p>
        </Panel>
      ) : (
        <Table
          caption={`The ${data.items.length} most recent poll runs${query.source ? ` of ${names.get(query.source) ?? query.source}` : ""}, newest first`}
        >
          <thead>
            <tr>
              <th scope="col" className={thClass}>
                Source
              </th>
              <th scope="col" className={thClass}>
                Started
              </th>
              <th scope="col" className={`${thClass} text-right`}>
                Duration
              </th>
              <th scope="col" className={thClass}>
                Outcome
              </th>
              <th scope="col" className={`${thClass} text-right`}>
                Requests
              </th>
              <th scope="col" className={`${thClass} text-right`}>
                <abbr title="Not modified (HTTP 304) answers" className="normal-case">
                  304s
                </abbr>
              </th>
              <th scope="col" className={`${thClass} text-right`}>
                Bytes
              </th>
              <th scope="col" className={`${thClass} text-right`}>
                Items
              </th>
              <th scope="col" className={thClass}>
                Error and notes
              </th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((run) => (
              <tr key={run.id}>
                <th scope="row" className={`${rowThClass} whitespace-nowrap`}>
                  {names.get(run.sourceId) ?? run.sourceId}
                  <span className="block text-xs font-normal text-zinc-500 dark:text-zinc-400">{run.sourceKind}</span>
                </th>
                <td className={tdClass}>
                  <Instant at={run.startedAt} />
                </td>
                <td className={`${tdClass} whitespace-nowrap text-right tabular-nums`}>
                  {run.durationSeconds !== null ? formatDuration(run.durationSeconds, { isSubMinutePrecise: true }) : "…"}
                </td>
                <td className={tdClass}>
                  <OutcomeLabel outcome={run.outcome} />
                </td>
                <td className={`${tdClass} text-right tabular-nums`}>{run.requests}</td>
                <td className={`${tdClass} text-right tabular-nums`}>{run.notModified}</td>
                <td className={`${tdClass} whitespace-nowrap text-right tabular-nums`}>{formatBytes(run.bytes)}</td>
                <td className={`${tdClass} text-right tabular-nums`}>{run.items}</td>
                <td className={`${tdClass} max-w-md`}>
                  <PollRunRemarks run={run} />
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </div>
  );
}
