import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { MirrorAlerts } from "@/components/alerts/mirror-alerts";
import { MirrorHistoryView } from "@/components/mirrors/history/mirror-history-view";
import { makeQueryClient } from "@/components/query-client";
import { parseQueryString } from "@/contract/query-string";
import { toUrlSearchParams } from "@/contract/search-params-record";
import { Panel } from "@/components/ui/panel";
import { getMirrorHistoryEndpoint } from "@/contract/endpoints";
import { endpointQueryKey } from "@/contract/query-options";
import { getClock } from "@/server/clock";
import { buildPageMetadata } from "@/server/http/page-metadata";
import { describeMirror } from "@/server/read/describe-for-link-preview";
import { NotFoundError } from "@/server/errors";
import { AlertListQuery } from "@/contract/alert-dto";
import { getMirrorHistory } from "@/server/read/get-mirror-history";
import { listAlerts } from "@/server/read/list-alerts";
import { MirrorHistoryQuery, type MirrorHistoryResponse } from "@/contract/mirror-history-dto";

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

function decodeMirrorId(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The mirror's history for this request's query, read once for its metadata and its page; null when no such mirror. */
const loadHistory = cache(async (id: string, queryJson: string): Promise<MirrorHistoryResponse | null> => {
  try {
    return await getMirrorHistory(id, JSON.parse(queryJson) as MirrorHistoryQuery, { now: getClock().now() });
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
});

async function readQuery(searchParams: Props["searchParams"]) {
  const parsed = parseQueryString(MirrorHistoryQuery, toUrlSearchParams(await searchParams));
  return { parsed, query: parsed.success ? parsed.data : MirrorHistoryQuery.parse({}) };
}

export async function generateMetadata({ params, searchParams }: Props): Promise<Metadata> {
  const id = decodeMirrorId((await params).id);
  const history = await loadHistory(id, JSON.stringify((await readQuery(searchParams)).query));
  if (!history) return { title: id };
  return buildPageMetadata({
    title: history.mirror.name,
    description: describeMirror(history),
    path: `/mirrors/${encodeURIComponent(id)}`,
  });
}

export default async function MirrorPage({ params, searchParams }: Props) {
  const id = decodeMirrorId((await params).id);
  const { parsed, query } = await readQuery(searchParams);
  const history = await loadHistory(id, JSON.stringify(query));
  if (!history) notFound();
  const now = new Date(history.now);
  const alerts = await listAlerts(AlertListQuery.parse({ mirror: id, pageSize: "5" }), { now });
  const queryClient = makeQueryClient();
  queryClient.setQueryData(endpointQueryKey(getMirrorHistoryEndpoint, { params: { id }, query }), history);

  return (
    <div className="space-y-6">
      <header className="space-y-1">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Mirror · {history.mirror.kind}</p>
        <h1 className="text-2xl font-semibold tracking-tight">{history.mirror.name}</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Whether srcwatch can read this mirror, how fast it publishes the RHEL updates it carries, and whether it stopped — per RHEL major,
          fully or package by package.
        </p>
      </header>
      {parsed.success ? null : (
        <Panel tone="error" role="alert" title="This address has an invalid parameter; showing the default view">
          <p>{parsed.message}</p>
        </Panel>
      )}
      <MirrorAlerts mirrorId={id} alerts={alerts} />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <MirrorHistoryView mirrorId={id} query={query} />
      </HydrationBoundary>
    </div>
  );
}
