"use client";

import Link from "next/link";
import { QueryStatus } from "@/components/query-status";
import type { MirrorHistoryQuery } from "@/contract/mirror-history-dto";
import { MIRROR_HISTORY_BUCKETS } from "@/contract/mirror-history-dto";
import { useMirrorHistory } from "../hooks/use-mirror-history";
import { LagChart } from "./lag-chart";
import { MirrorHealthSummary } from "./mirror-health-summary";
import { PollCoverageLegend, PollCoverageStrip } from "./poll-coverage-strip";
import { PublishingStatus } from "./publishing-status";
import { PublishRateChart } from "./publish-rate-chart";
import { RecentPollRuns } from "./recent-poll-runs";

const BUCKET_LABELS: Record<MirrorHistoryQuery["bucket"], string> = { week: "Per week", month: "Per month" };

function BucketSwitch({ mirrorId, current }: { mirrorId: string; current: MirrorHistoryQuery["bucket"] }) {
  return (
    <nav aria-label="Group the history" className="flex gap-1 text-sm">
      {MIRROR_HISTORY_BUCKETS.map((bucket) => (
        <Link
          key={bucket}
          href={`/mirrors/${encodeURIComponent(mirrorId)}${bucket === "week" ? "" : `?bucket=${bucket}`}`}
          aria-current={bucket === current ? "page" : undefined}
          scroll={false}
          className={`rounded px-2 py-1 ${bucket === current ? "bg-zinc-200 font-semibold no-underline dark:bg-zinc-800" : "text-sky-700 underline dark:text-sky-400"}`}
        >
          {BUCKET_LABELS[bucket]}
        </Link>
      ))}
    </nav>
  );
}

export function MirrorHistoryView({ mirrorId, query }: { mirrorId: string; query: MirrorHistoryQuery }) {
  const history = useMirrorHistory(mirrorId, query);
  if (!history.data) return <QueryStatus query={history} what="the mirror's history" />;
  const data = history.data;

  return (
    <div className="space-y-8">
      <MirrorHealthSummary history={data} />
      <PublishingStatus history={data} />
      <div className="space-y-8">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            Updates count once per advisory the mirror carries; an advisory is published when all its packages are.
          </p>
          <BucketSwitch mirrorId={mirrorId} current={data.bucket} />
        </div>
        <PublishRateChart history={data} />
        <LagChart history={data} />
      </div>
      <section aria-labelledby="coverage-heading" className="space-y-3">
        <h2 id="coverage-heading" className="text-lg font-semibold">
          Did srcwatch poll it?
        </h2>
        <PollCoverageLegend />
        <PollCoverageStrip coverage={data.pollCoverage.hourly} title="Last 48 hours" />
        <PollCoverageStrip coverage={data.pollCoverage.daily} title="Last 30 days" />
      </section>
      <RecentPollRuns mirrorId={data.mirror.id} mirrorName={data.mirror.name} pollRuns={data.pollRuns} />
    </div>
  );
}
