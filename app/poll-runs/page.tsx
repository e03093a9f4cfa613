import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { buildPageMetadata } from "@/server/http/page-metadata";
import { PollRunsView } from "@/components/poll-runs/poll-runs-view";
import { makeQueryClient } from "@/components/query-client";
import { parseQueryString } from "@/contract/query-string";
import { toUrlSearchParams } from "@/contract/search-params-record";
import { listMirrorsEndpoint, listPollRunsEndpoint } from "@/contract/endpoints";
import { endpointQueryKey } from "@/contract/query-options";
import { getClock } from "@/server/clock";
import { PollRunsQuery } from "@/contract/poll-run-dto";
import { listMirrors } from "@/server/read/list-mirrors";
import { listPollRuns } from "@/server/read/list-poll-runs";

export const dynamic = "force-dynamic";

export const metadata: Metadata = buildPageMetadata({
  title: "Poll runs",
  description: "When srcwatch last read each source and mirror, and what it found.",
  path: "/poll-runs",
});

export default async function PollRunsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const parsed = parseQueryString(PollRunsQuery, toUrlSearchParams(await searchParams));
  const now = getClock().now();
  const queryClient = makeQueryClient();
  await Promise.all([
    parsed.success
      ? queryClient.fetchQuery({
          queryKey: endpointQueryKey(listPollRunsEndpoint, { query: parsed.data }),
          queryFn: () => listPollRuns(parsed.data, { now }),
        })
      : null,
    queryClient.fetchQuery({ queryKey: endpointQueryKey(listMirrorsEndpoint), queryFn: () => listMirrors({ now }) }),
  ]);

  return (
    <div className="space-y-4">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold tracking-tight">Poll runs</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Every poll the worker made of an upstream feed or a mirror: how long it took, what it cost, what went wrong.
        </p>
      </div>
      <HydrationBoundary state={dehydrate(queryClient)}>
        <PollRunsView />
      </HydrationBoundary>
    </div>
  );
}
