import { InvalidFilters } from "@/components/ui/invalid-filters";
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { buildPageMetadata } from "@/server/http/page-metadata";
import { UpdatesView } from "@/components/advisories/updates-view";
import { makeQueryClient } from "@/components/query-client";
import { parseQueryString } from "@/contract/query-string";
import { toUrlSearchParams } from "@/contract/search-params-record";
import { listAdvisoriesEndpoint, listMirrorsEndpoint } from "@/contract/endpoints";
import { endpointQueryKey } from "@/contract/query-options";
import { getClock } from "@/server/clock";
import { AdvisoryListQuery } from "@/contract/advisory-dto";
import { listAdvisories } from "@/server/read/list-advisories";
import { listMirrors } from "@/server/read/list-mirrors";

export const dynamic = "force-dynamic";

export const metadata: Metadata = buildPageMetadata({
  title: "Updates",
  description: "Every RHEL update and where its sources are published, delayed or missing.",
  path: "/updates",
});

export default async function UpdatesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const parsed = parseQueryString(AdvisoryListQuery, toUrlSearchParams(await searchParams));
  const heading = <h1 className="text-2xl font-semibold tracking-tight">Updates</h1>;
  if (!parsed.success) {
    return <InvalidFilters heading={heading} message={parsed.message} resetHref="/updates" resetLabel="Show all updates" />;
  }

  const now = getClock().now();
  const queryClient = makeQueryClient();
  await Promise.all([
    queryClient.fetchQuery({
      queryKey: endpointQueryKey(listAdvisoriesEndpoint, { query: parsed.data }),
      queryFn: () => listAdvisories(parsed.data, { now }),
    }),
    queryClient.fetchQuery({ queryKey: endpointQueryKey(listMirrorsEndpoint), queryFn: () => listMirrors({ now }) }),
  ]);

  return (
    <div className="space-y-4">
      {heading}
      <HydrationBoundary state={dehydrate(queryClient)}>
        <UpdatesView />
      </HydrationBoundary>
    </div>
  );
}
