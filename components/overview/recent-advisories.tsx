"use client";

import Link from "next/link";
import { AdvisoryTable } from "@/components/advisories/advisory-table";
import { useAdvisories } from "@/components/advisories/hooks/use-advisories";
import { QueryStatus } from "@/components/query-status";
import { RECENT_ADVISORIES_QUERY } from "./recent-advisories-query";

export function RecentAdvisories() {
  const advisories = useAdvisories(RECENT_ADVISORIES_QUERY);
  if (!advisories.data) return <QueryStatus query={advisories} what="recent advisories" />;
  const { items, mirrors, total } = advisories.data;
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="recent-heading" className="space-y-2">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="recent-heading" className="text-lg font-semibold">
          Newest advisories
        </h2>
        <Link href="/updates" className="text-sm text-sky-700 underline dark:text-sky-400">
          All {total} updates
        </Link>
      </div>
      <AdvisoryTable
        caption={`The ${items.length} most recently issued advisories and their status per mirror`}
        items={items}
        mirrors={mirrors}
      />
    </section>
  );
}
