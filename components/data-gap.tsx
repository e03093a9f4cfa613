"use client";

import type { ReactNode } from "react";
import { useMirrors } from "@/components/mirrors/hooks/use-mirrors";
import { Instant } from "@/components/ui/instant";
import { Panel } from "@/components/ui/panel";
import type { MirrorsResponse } from "@/contract/mirror-dto";

export type DataGap =
  /** No source answers: an empty list means nothing. `since`: the last time any did; null when none ever did. */
  | { scope: "every_source"; since: string | null }
  /** The upstream feeds (what RHEL released) do not answer: mirrors are judged against an old list. */
  | { scope: "upstream"; since: string | null; names: string[] };

const latest = (instants: (string | null)[]) =>
  instants
    .filter((at): at is string => at !== null)
    .sort()
    .at(-1) ?? null;

/**
 * Whether our own data has a hole that turns an empty list into a false "all clear": every source failing, stale or never
 * polled, or every upstream feed so. null when at least one upstream and one mirror answer.
 */
export function findDataGap(sources: Pick<MirrorsResponse, "mirrors" | "upstreams">): DataGap | null {
  const all = [...sources.upstreams, ...sources.mirrors];
  if (all.length === 0) return null;
  const isAnswering = (source: { health: { status: string } }) => source.health.status === "ok";
  if (!all.some(isAnswering)) return { scope: "every_source", since: latest(all.map((source) => source.health.lastSuccessAt)) };
  if (sources.upstreams.length > 0 && !sources.upstreams.some(isAnswering)) {
    return {
      scope: "upstream",
      since: latest(sources.upstreams.map((source) => source.health.lastSuccessAt)),
      names: sources.upstreams.map((source) => source.name),
    };
  }
  return null;
}

function DataGapTitle({ gap }: { gap: DataGap }) {
  const what = gap.scope === "every_source" ? "any source" : gap.names.join(" or ");
  if (gap.since === null) return <>We have not been able to reach {what} yet.</>;
  return (
    <>
      We have not been able to reach {what} since <Instant at={gap.since} />.
    </>
  );
}

/**
 * An empty list's message — unless our data has a hole, in which case it says so first: "Nothing is firing" while no
 * source answers would read as "all is well".
 */
export function EmptyState({ title, children }: { title: ReactNode; children?: ReactNode }) {
  const mirrors = useMirrors();
  const gap = mirrors.data ? findDataGap(mirrors.data) : null;
  if (!gap) return <Panel title={title}>{children}</Panel>;
  return (
    <Panel tone="warning" title={<DataGapTitle gap={gap} />}>
      <p>
        {gap.scope === "every_source"
          ? "So this empty list says nothing about the mirrors: it only shows what we could read before. See "
          : "So updates released since are not known yet, and no mirror is judged on them. See "}
        <a href="/poll-runs" className="text-link">
          the poll runs
        </a>{" "}
        for the errors.
      </p>
      <p className="text-zinc-600 dark:text-zinc-400">{title}</p>
    </Panel>
  );
}
