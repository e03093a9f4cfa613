import type { Metadata } from "next";
import { buildPageMetadata } from "@/server/http/page-metadata";
import { redirect } from "next/navigation";
import { advisoryPath } from "@/contract/advisory-list-query-string";
import { SearchResults } from "@/components/search/search-results";
import { getClock } from "@/server/clock";
import { search } from "@/server/read/search";
import { SearchQuery } from "@/contract/search-dto";

export const dynamic = "force-dynamic";

export const metadata: Metadata = buildPageMetadata({ title: "Search", path: "/search" });

export default async function SearchPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = (await searchParams).q;
  const parsed = SearchQuery.safeParse({ q: Array.isArray(raw) ? raw[0] : (raw ?? "") });
  const results = parsed.success ? await search(parsed.data.q, { now: getClock().now() }) : null;
  if (results?.exactAdvisoryId) redirect(advisoryPath(results.exactAdvisoryId));

  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">{results ? `Search results for “${results.q}”` : "Search"}</h1>
      <form method="get" action="/search" role="search" aria-label="Search again" className="flex max-w-xl flex-wrap gap-2">
        <label htmlFor="search-page-q" className="sr-only">
          Advisory id, CVE, package name or NEVRA
        </label>
        <input
          id="search-page-q"
          type="search"
          name="q"
          defaultValue={results?.q ?? ""}
          maxLength={200}
          placeholder="RHSA-2023:3722, CVE-2023-0286, openssl…"
          className="min-w-0 flex-1 rounded border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900"
        />
        <button
          type="submit"
          className="rounded bg-sky-700 px-3 py-1 text-sm font-medium text-white hover:bg-sky-800 dark:bg-sky-700 dark:hover:bg-sky-600"
        >
          Search
        </button>
      </form>
      {results ? (
        <SearchResults results={results} />
      ) : (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Search by advisory id (RHSA-2023:3722, rhsa-2023_3722, 2023:3722), CVE, package name or full NEVRA. Press <kbd>/</kbd> on any page
          to jump to the search box.
        </p>
      )}
    </div>
  );
}
