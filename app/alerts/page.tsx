import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { buildPageMetadata } from "@/server/http/page-metadata";
import { AlertsView } from "@/components/alerts/alerts-view";
import { makeQueryClient } from "@/components/query-client";
import { parseQueryString } from "@/contract/query-string";
import { toUrlSearchParams } from "@/contract/search-params-record";
import { listAlertsEndpoint, listMirrorsEndpoint } from "@/contract/endpoints";
import { endpointQueryKey } from "@/contract/query-options";
import { getClock } from "@/server/clock";
import { AlertListQuery } from "@/contract/alert-dto";
import { listAlerts } from "@/server/read/list-alerts";
import { listMirrors } from "@/server/read/list-mirrors";

export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  ...buildPageMetadata({
    title: "Alerts",
    description: "Mirrors that stopped publishing the sources of RHEL updates, and updates overdue on a mirror.",
    path: "/alerts",
  }),
  alternates: { types: { "application/atom+xml": [{ url: "/feeds/alerts.atom", title: "srcwatch alerts" }] } },
};

export default async function AlertsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const parsed = parseQueryString(AlertListQuery, toUrlSearchParams(await searchParams));
  const now = getClock().now();
  const queryClient = makeQueryClient();
  await Promise.all([
    parsed.success
      ? queryClient.fetchQuery({
          queryKey: endpointQueryKey(listAlertsEndpoint, { query: parsed.data }),
          queryFn: () => listAlerts(parsed.data, { now }),
        })
      : null,
    queryClient.fetchQuery({ queryKey: endpointQueryKey(listMirrorsEndpoint), queryFn: () => listMirrors({ now }) }),
  ]);

  return (
    <div className="space-y-4">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold tracking-tight">Alerts</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          When a mirror stops publishing RHEL sources or some of their packages, when updates are missing or delayed on it, and when
          srcwatch cannot poll it — firing now, and how each one ended.
        </p>
      </div>
      <HydrationBoundary state={dehydrate(queryClient)}>
        <AlertsView />
      </HydrationBoundary>
    </div>
  );
}
