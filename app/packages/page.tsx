import { InvalidFilters } from "@/components/ui/invalid-filters";
import type { Metadata } from "next";
import Link from "next/link";
import { PackageGridTable } from "@/components/packages/package-grid-table";
import { EmptyState } from "@/components/data-gap";
import { PackageGridQuery } from "@/contract/package-grid-dto";
import { parseQueryString, toQueryString } from "@/contract/query-string";
import { toUrlSearchParams } from "@/contract/search-params-record";
import { buildPageMetadata } from "@/server/http/page-metadata";
import { getClock } from "@/server/clock";
import { listPackageGrid } from "@/server/read/list-package-grid";

export const dynamic = "force-dynamic";

export const metadata: Metadata = buildPageMetadata({
  title: "Packages",
  description: "Every RHEL source package × mirror: the newest build found on each mirror and whether its newest update is there.",
  path: "/packages",
});

const fieldsetClass = "rounded-md border border-zinc-200 px-3 pb-3 pt-1 dark:border-zinc-800";
const legendClass = "px-1 text-xs font-semibold uppercase tracking-wide text-zinc-600 dark:text-zinc-400";
const buttonClass = "rounded bg-sky-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-800 dark:bg-sky-700 dark:hover:bg-sky-600";

export default async function PackagesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const parsed = parseQueryString(PackageGridQuery, toUrlSearchParams(await searchParams));
  const heading = (
    <div className="space-y-1">
      <h1 className="text-2xl font-semibold tracking-tight">Packages</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Every source package of one RHEL major, with the newest build srcwatch found on each mirror and whether the package&apos;s newest
        update is there.
      </p>
    </div>
  );
  if (!parsed.success) {
    return <InvalidFilters heading={heading} message={parsed.message} resetHref="/packages" resetLabel="Show every package" />;
  }
  const grid = await listPackageGrid(parsed.data, { now: getClock().now() });
  const caption = `Packages of RHEL ${grid.major}${grid.q ? ` matching "${grid.q}"` : ""} × mirror: the newest build found and the newest update's verdict`;
  const nextHref = grid.nextAfter
    ? `/packages?${toQueryString({
        major: grid.major,
        q: grid.q ?? undefined,
        notApplicable: grid.notApplicable === "show" ? "show" : undefined,
        after: grid.nextAfter,
      })}`
    : null;

  return (
    <div className="space-y-4">
      {heading}
      <form method="get" action="/packages" aria-label="Package filters" className="flex flex-wrap items-end gap-3">
        <fieldset className={fieldsetClass}>
          <legend className={legendClass}>RHEL major</legend>
          <div className="flex gap-3">
            {grid.majors.map((major) => (
              <label key={major} className="flex items-center gap-1.5 text-sm">
                <input type="radio" name="major" value={major} defaultChecked={major === grid.major} className="size-4" />
                RHEL {major}
              </label>
            ))}
          </div>
        </fieldset>
        <label className="flex flex-col gap-1 text-sm">
          <span className="text-xs font-semibold uppercase tracking-wide text-zinc-600 dark:text-zinc-400">Name contains</span>
          <input
            type="search"
            name="q"
            defaultValue={grid.q ?? ""}
            placeholder="kernel"
            className="rounded border border-zinc-300 px-2 py-1 font-mono dark:border-zinc-700 dark:bg-zinc-900"
          />
        </label>
        <label className="flex items-center gap-1.5 pb-1.5 text-sm">
          <input type="checkbox" name="notApplicable" value="show" defaultChecked={grid.notApplicable === "show"} className="size-4" />
          Show packages no mirror carries (n/a)
        </label>
        <button type="submit" className={buttonClass}>
          Show
        </button>
      </form>
      {grid.rows.length === 0 ? (
        <EmptyState title={grid.q ? `No package of RHEL ${grid.major} matches "${grid.q}".` : `No package of RHEL ${grid.major} yet.`} />
      ) : (
        <PackageGridTable grid={grid} caption={caption} />
      )}
      <nav aria-label="Pagination" className="flex flex-wrap gap-3 text-sm">
        {parsed.data.after ? (
          <Link
            href={`/packages?${toQueryString({ major: grid.major, q: grid.q ?? undefined, notApplicable: grid.notApplicable === "show" ? "show" : undefined })}`}
            className="text-link"
          >
            First page
          </Link>
        ) : null}
        {nextHref ? (
          <Link href={nextHref} className="text-link">
            Next page (after {grid.nextAfter})
          </Link>
        ) : null}
      </nav>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        A verdict is that of the package&apos;s newest update on the mirror; the version under it is the newest build of the package
        srcwatch found there, whichever update it belongs to. n/a: the mirror does not carry that update.
      </p>
    </div>
  );
}
