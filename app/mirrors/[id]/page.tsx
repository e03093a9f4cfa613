import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { MirrorAlerts } from "@/components/alerts/mirror-alerts";
import { MirrorHistoryView } from "@/components/mirrors/history/mirror-history-view";
import { makeQueryClient } from "@/components/query-client";
import { parseQueryString } from "@/contract/query-string";
import { toUrlSearchParams } from "@/contract/search-params-record";
import { Panel } from "@/components/ui/panel";
import { getMirrorHistoryEndpoint } from "@/contract/endpoints";
import { endpointQueryKey } from "@/contract/query-options";
import { getClock } from "@/server/clock";
import { getConfig } from "@/server/config/get-config";
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

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const id = decodeMirrorId((await params).id);
  return { title: getConfig().mirrors.find((mirror) => mirror.id === id)?.name ?? id };
}

export default async function MirrorPage({ params, searchParams }: Props) {
  const id = decodeMirrorId((await params).id);
  const parsed = parseQueryString(MirrorHistoryQuery, toUrlSearchParams(await searchParams));
  const query = parsed.success ? parsed.data : MirrorHistoryQuery.parse({});
  let history: MirrorHistoryResponse;
  const now = getClock().now();
  try {
    history = await getMirrorHistory(id, query, { now });
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
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
