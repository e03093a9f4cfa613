import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { buildPageMetadata } from "@/server/http/page-metadata";
import { FiringAlertsStrip } from "@/components/alerts/firing-alerts-strip";
import { FIRING_STRIP_QUERY } from "@/components/alerts/firing-strip-query";
import { RecentAdvisories } from "@/components/overview/recent-advisories";
import { RECENT_ADVISORIES_QUERY } from "@/components/overview/recent-advisories-query";
import { makeQueryClient } from "@/components/query-client";
import { SummaryMatrix } from "@/components/summary/summary-matrix";
import { SourcesHealth, SyncStatus } from "@/components/summary/sync-status";
import { getSummaryEndpoint, listAdvisoriesEndpoint, listAlertsEndpoint, listMirrorsEndpoint } from "@/contract/endpoints";
import { endpointQueryKey } from "@/contract/query-options";
import { getClock } from "@/server/clock";
import { getSummary } from "@/server/read/get-summary";
import { listAdvisories } from "@/server/read/list-advisories";
import { listAlerts } from "@/server/read/list-alerts";
import { listMirrors } from "@/server/read/list-mirrors";

export const dynamic = "force-dynamic";

export const metadata: Metadata = buildPageMetadata({
  title: "Overview",
  description:
    "Which mirrors publish the sources of RHEL updates, how late, and which stopped: git.centos.org, CentOS Stream, AlmaLinux, Rocky Linux, Oracle Linux, OpenELA.",
  path: "/",
});

export default async function OverviewPage() {
  const now = getClock().now();
  const queryClient = makeQueryClient();
  await Promise.all([
    queryClient.fetchQuery({ queryKey: endpointQueryKey(getSummaryEndpoint), queryFn: () => getSummary({ now }) }),
    queryClient.fetchQuery({ queryKey: endpointQueryKey(listMirrorsEndpoint), queryFn: () => listMirrors({ now }) }),
    queryClient.fetchQuery({
      queryKey: endpointQueryKey(listAdvisoriesEndpoint, { query: RECENT_ADVISORIES_QUERY }),
      queryFn: () => listAdvisories(RECENT_ADVISORIES_QUERY, { now }),
    }),
    queryClient.fetchQuery({
      queryKey: endpointQueryKey(listAlertsEndpoint, { query: FIRING_STRIP_QUERY }),
      queryFn: () => listAlerts(FIRING_STRIP_QUERY, { now }),
    }),
  ]);

  return (
    <div className="space-y-8">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold tracking-tight">Did the sources of RHEL updates reach the public yet?</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          For every Red Hat advisory, srcwatch looks for its source packages on public mirrors and tells you where they are and how late
          they arrived.
        </p>
      </div>
      <HydrationBoundary state={dehydrate(queryClient)}>
        <FiringAlertsStrip />
        <SyncStatus />
        <SummaryMatrix />
        <RecentAdvisories />
        <SourcesHealth />
      </HydrationBoundary>
    </div>
  );
}
