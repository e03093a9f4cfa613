"use client";

import { describeHealth, HealthBadge } from "@/components/health-badge";
import { useMirrors } from "@/components/mirrors/hooks/use-mirrors";
import { MirrorLink } from "@/components/mirrors/mirror-link";
import { QueryStatus } from "@/components/query-status";
import { Instant } from "@/components/ui/instant";
import { Panel } from "@/components/ui/panel";
import { RelativeInstant } from "@/components/ui/relative-instant";
import { Table, rowThClass, tdClass, thClass } from "@/components/ui/table";
import type { MirrorsResponse, SourceHealth, SyncProgress, UpstreamDto } from "@/contract/mirror-dto";
import { useSummary } from "./hooks/use-summary";

function isRunning(progress: SyncProgress): boolean {
  return progress.step !== "idle";
}

function sourceNames(mirrors: MirrorsResponse | undefined): Map<string, string> {
  const names = new Map<string, string>();
  for (const source of [...(mirrors?.upstreams ?? []), ...(mirrors?.mirrors ?? [])]) names.set(source.id, source.name);
  return names;
}

function ProgressLine({ progress, name }: { progress: SyncProgress; name: string }) {
  const label = `${name}: ${progress.step} ${progress.done}${progress.total === null ? "" : ` / ${progress.total}`}`;
  return (
    <li className="flex flex-wrap items-center gap-x-3 gap-y-1">
      <span className="tabular-nums">{label}</span>
      <progress
        className="h-2 w-40 max-w-full"
        aria-label={label}
        value={progress.total === null ? undefined : progress.done}
        max={progress.total ?? undefined}
      />
    </li>
  );
}

function lastAttempt(health: SourceHealth): string {
  if (health.status === "never_polled") return "none yet (is the worker running?)";
  const failedLast = health.lastFailureAt !== null && (health.lastSuccessAt === null || health.lastFailureAt > health.lastSuccessAt);
  if (failedLast) {
    const kind = health.lastErrorKind ? ` (${health.lastErrorKind})` : "";
    const message = health.lastErrorMessage ? `: ${health.lastErrorMessage}` : "";
    return `failed${kind}${message}`;
  }
  return "succeeded";
}

function EmptyState({ upstreams, now }: { upstreams: UpstreamDto[]; now: string }) {
  return (
    <Panel tone="neutral" role="status" title="No advisories yet">
      {upstreams.length === 0 ? <p>No upstream source is configured.</p> : null}
      {upstreams.map((upstream) => {
        const { health } = upstream;
        const at = health.lastFailureAt ?? health.lastSuccessAt;
        if (health.lastSuccessAt && health.status === "ok") {
          return (
            <p key={upstream.id}>
              {upstream.name} was polled <RelativeInstant at={health.lastSuccessAt} now={now} /> and returned no advisory for the configured
              RHEL majors and start date.
            </p>
          );
        }
        return (
          <p key={upstream.id}>
            The worker has not completed a poll of {upstream.name}. Last attempt: {lastAttempt(health)}
            {at ? (
              <>
                {" "}
                (<Instant at={at} />)
              </>
            ) : null}
            .
          </p>
        );
      })}
    </Panel>
  );
}

/** First-sync progress, the empty state, and alerts about upstream feeds we cannot reach. */
export function SyncStatus() {
  const summary = useSummary();
  const mirrors = useMirrors();
  if (!summary.data) return <QueryStatus query={summary} what="the sync status" />;
  const { progress, advisoryCount, now } = summary.data;
  const names = sourceNames(mirrors.data);
  const firstSync = progress.filter((item) => item.isFirstSync && isRunning(item));
  const upstreams = mirrors.data?.upstreams ?? [];
  const failingUpstreams = upstreams.filter((upstream) => upstream.health.status === "failing");

  return (
    <div className="space-y-3">
      {firstSync.length > 0 ? (
        <Panel tone="info" role="status" title="First sync in progress">
          <p>srcwatch is reading the upstream advisories and the mirrors for the first time; tables fill in as it goes.</p>
          <ul className="space-y-1">
            {firstSync.map((item) => (
              <ProgressLine key={item.sourceId} progress={item} name={names.get(item.sourceId) ?? item.sourceId} />
            ))}
          </ul>
        </Panel>
      ) : null}
      {advisoryCount === 0 && firstSync.length === 0 && mirrors.data ? <EmptyState upstreams={upstreams} now={now} /> : null}
      {advisoryCount > 0
        ? failingUpstreams.map((upstream) => (
            <Panel key={upstream.id} tone="warning" role="alert" title={`${upstream.name} is ${describeHealth(upstream.health)}`}>
              <p>
                New advisories are not being picked up
                {upstream.health.lastSuccessAt ? (
                  <>
                    {" "}
                    since <RelativeInstant at={upstream.health.lastSuccessAt} now={now} />
                  </>
                ) : null}
                .{upstream.health.lastErrorMessage ? ` Last error: ${upstream.health.lastErrorMessage}` : ""}
              </p>
            </Panel>
          ))
        : null}
    </div>
  );
}

/** Every upstream feed and mirror with its health and current step. */
export function SourcesHealth() {
  const summary = useSummary();
  const mirrors = useMirrors();
  if (!mirrors.data) return <QueryStatus query={mirrors} what="the sources" />;
  const { now } = mirrors.data;
  const steps = new Map((summary.data?.progress ?? []).map((item) => [item.sourceId, item]));
  const sources = [
    ...mirrors.data.upstreams.map((source) => ({ ...source, role: "upstream" })),
    ...mirrors.data.mirrors.map((source) => ({ ...source, role: "mirror" })),
  ];

  return (
    <section aria-labelledby="sources-heading" className="space-y-2">
      <h2 id="sources-heading" className="text-lg font-semibold">
        Sources
      </h2>
      <Table caption="Upstream feeds and mirrors, and whether srcwatch can reach them">
        <thead>
          <tr>
            <th scope="col" className={thClass}>
              Source
            </th>
            <th scope="col" className={thClass}>
              Role
            </th>
            <th scope="col" className={thClass}>
              Our polling
            </th>
            <th scope="col" className={thClass}>
              Last success
            </th>
            <th scope="col" className={thClass}>
              Last error
            </th>
            <th scope="col" className={thClass}>
              Now
            </th>
          </tr>
        </thead>
        <tbody>
          {sources.map((source) => {
            const step = steps.get(source.id);
            return (
              <tr key={source.id}>
                <th scope="row" className={rowThClass}>
                  {source.role === "mirror" ? <MirrorLink mirrorId={source.id}>{source.name}</MirrorLink> : source.name}
                  <span className="block text-xs font-normal text-zinc-500 dark:text-zinc-400">{source.kind}</span>
                </th>
                <td className={tdClass}>{source.role}</td>
                <td className={tdClass}>
                  <HealthBadge health={source.health} />
                </td>
                <td className={tdClass}>
                  {source.health.lastSuccessAt ? <RelativeInstant at={source.health.lastSuccessAt} now={now} /> : "never"}
                </td>
                <td className={`${tdClass} max-w-md`}>
                  {source.health.lastFailureAt ? (
                    <>
                      <RelativeInstant at={source.health.lastFailureAt} now={now} />
                      {source.health.lastErrorKind ? ` · ${source.health.lastErrorKind}` : ""}
                      {source.health.lastErrorMessage ? (
                        <span className="block break-words text-xs text-zinc-500 dark:text-zinc-400">{source.health.lastErrorMessage}</span>
                      ) : null}
                    </>
                  ) : (
                    "—"
                  )}
                </td>
                <td className={`${tdClass} whitespace-nowrap`}>
                  {step && isRunning(step) ? `${step.step} ${step.done}${step.total === null ? "" : ` / ${step.total}`}` : "idle"}
                </td>
              </tr>
            );
          })}
        </tbody>
      </Table>
    </section>
  );
}
