import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { AdvisoryPackages } from "@/components/advisories/advisory-packages";
import { SeverityLabel } from "@/components/advisories/severity-label";
import { makeQueryClient } from "@/components/query-client";
import { Instant } from "@/components/ui/instant";
import { findLinkHost, toSafeHref } from "@/core/check-link";
import { ADVISORY_TYPE_LABELS, type AdvisoryType } from "@/core/types";
import { getAdvisoryEndpoint } from "@/contract/endpoints";
import { endpointQueryKey } from "@/contract/query-options";
import { getClock } from "@/server/clock";
import { NotFoundError } from "@/server/errors";
import { getConfig } from "@/server/config/get-config";
import { buildPageMetadata } from "@/server/http/page-metadata";
import { getAdvisory } from "@/server/read/get-advisory";
import { describeAdvisory } from "@/server/read/describe-for-link-preview";
import type { AdvisoryDetailResponse } from "@/contract/advisory-dto";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

/** `RHSA-2023%3A3722` and `RHSA-2023:3722` name the same advisory. */
function decodeAdvisoryId(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The advisory of this request, read once for its metadata and its page (React's per-request cache); null when unknown. */
const loadAdvisory = cache(async (id: string): Promise<AdvisoryDetailResponse | null> => {
  try {
    return await getAdvisory(id, { now: getClock().now() });
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
});

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const id = decodeAdvisoryId((await params).id);
  const detail = await loadAdvisory(id);
  if (!detail) return { title: id };
  return buildPageMetadata({
    title: id,
    description: describeAdvisory(detail, getConfig().mirrors),
    path: `/advisories/${encodeURIComponent(id)}`,
  });
}

export default async function AdvisoryPage({ params }: Params) {
  const id = decodeAdvisoryId((await params).id);
  const detail = await loadAdvisory(id);
  if (!detail) notFound();
  const queryClient = makeQueryClient();
  queryClient.setQueryData(endpointQueryKey(getAdvisoryEndpoint, { params: { id } }), detail);
  const { advisory } = detail;
  const advisoryHref = toSafeHref(advisory.url);

  return (
    <div className="space-y-6">
      <header className="space-y-2">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {ADVISORY_TYPE_LABELS[advisory.type as AdvisoryType] ?? advisory.type}
          {advisory.severity ? (
            <>
              {" · "}
              <SeverityLabel severity={advisory.severity} type="security" /> severity
            </>
          ) : null}
        </p>
        <h1 className="font-mono text-2xl font-semibold tracking-tight">{advisory.id}</h1>
        {advisory.title ? <p className="text-lg">{advisory.title}</p> : null}
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm sm:flex sm:flex-wrap sm:gap-x-6">
          <div className="contents sm:flex sm:gap-2">
            <dt className="text-zinc-600 dark:text-zinc-400">Issued</dt>
            <dd>
              <Instant at={advisory.issuedAt} />
            </dd>
          </div>
          {advisory.updatedAt !== advisory.issuedAt ? (
            <div className="contents sm:flex sm:gap-2">
              <dt className="text-zinc-600 dark:text-zinc-400">Updated</dt>
              <dd>
                <Instant at={advisory.updatedAt} />
              </dd>
            </div>
          ) : null}
          <div className="contents sm:flex sm:gap-2">
            <dt className="text-zinc-600 dark:text-zinc-400">Advisory page</dt>
            <dd>
              {advisoryHref ? (
                <a href={advisoryHref} className="text-sky-700 underline dark:text-sky-400">
                  {advisory.id} on {findLinkHost(advisoryHref)}
                </a>
              ) : (
                <span className="text-zinc-600 dark:text-zinc-400">none (the feed gave no usable link)</span>
              )}
            </dd>
          </div>
        </dl>
        {advisory.cves.length > 0 ? (
          <section aria-labelledby="cves-heading" className="text-sm">
            <h2 id="cves-heading" className="font-medium">
              CVEs ({advisory.cves.length})
            </h2>
            <ul className="mt-1 flex flex-wrap gap-x-3 gap-y-1 font-mono text-xs">
              {advisory.cves.map((cve) => (
                <li key={cve}>
                  <a
                    href={`https://access.redhat.com/security/cve/${encodeURIComponent(cve)}`}
                    className="text-sky-700 underline dark:text-sky-400"
                  >
                    {cve}
                  </a>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </header>
      <HydrationBoundary state={dehydrate(queryClient)}>
        <AdvisoryPackages id={id} />
      </HydrationBoundary>
    </div>
  );
}
