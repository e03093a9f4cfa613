import Link from "next/link";
import { advisoryPath } from "@/contract/advisory-list-query-string";
import { SeverityLabel } from "@/components/advisories/severity-label";
import { packagePath } from "@/components/packages/package-path";
import { Instant } from "@/components/ui/instant";
import { Panel } from "@/components/ui/panel";
import type { SearchResponse } from "@/contract/search-dto";

const linkClass = "text-link";
const listClass = "divide-y divide-zinc-100 rounded-md border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800";

function Section({ id, title, count, children }: { id: string; title: string; count: number; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="space-y-2">
      <h2 id={id} className="text-lg font-semibold">
        {title} ({count})
      </h2>
      {children}
    </section>
  );
}

/** Search hits grouped by what matched: advisories (id or CVE), packages by name, builds by NEVRA. */
export function SearchResults({ results }: { results: SearchResponse }) {
  const { advisories, packages, nevras } = results;
  if (advisories.length + packages.length + nevras.length === 0) {
    return (
      <Panel tone="neutral" title={`Nothing matches “${results.q}”.`}>
        <p>
          Try an advisory id (RHSA-2023:3722), a CVE (CVE-2023-0286), a package name (openssl) or a full NEVRA (openssl-1:1.1.1k-9.el8_7).
        </p>
      </Panel>
    );
  }
  return (
    <div className="space-y-6">
      {advisories.length > 0 ? (
        <Section id="advisory-hits" title="Advisories" count={advisories.length}>
          <ul className={listClass}>
            {advisories.map((hit) => (
              <li key={hit.id} className="flex flex-wrap items-baseline gap-x-3 gap-y-1 px-3 py-2 text-sm">
                <Link href={advisoryPath(hit.id)} className={`font-mono ${linkClass}`}>
                  {hit.id}
                </Link>
                <SeverityLabel severity={hit.severity} type={hit.type} />
                <Instant at={hit.issuedAt} dateOnly />
                {hit.title ? <span className="w-full text-zinc-600 dark:text-zinc-400">{hit.title}</span> : null}
                {hit.matchedBy === "cve" ? (
                  <span className="w-full text-xs text-zinc-600 dark:text-zinc-400">fixes {results.q.toUpperCase()}</span>
                ) : null}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
      {nevras.length > 0 ? (
        <Section id="nevra-hits" title="Builds" count={nevras.length}>
          <ul className={listClass}>
            {nevras.map((hit) => (
              <li
                key={`${hit.advisoryId}/${hit.nevra}/${hit.major}/${hit.stream}`}
                className="flex flex-wrap items-baseline gap-x-3 gap-y-1 px-3 py-2 text-sm"
              >
                <span className="break-all font-mono text-xs">{hit.nevra}</span>
                <span className="text-zinc-600 dark:text-zinc-400">
                  RHEL {hit.major}
                  {hit.stream === "main" ? "" : ` ${hit.stream}`} in
                </span>
                <Link href={advisoryPath(hit.advisoryId)} className={`font-mono ${linkClass}`}>
                  {hit.advisoryId}
                </Link>
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
      {packages.length > 0 ? (
        <Section id="package-hits" title="Packages" count={packages.length}>
          <ul className={listClass}>
            {packages.map((hit) => (
              <li key={hit.name} className="flex flex-wrap items-baseline gap-x-3 gap-y-1 px-3 py-2 text-sm">
                <Link href={packagePath(hit.name)} className={`font-mono ${linkClass}`}>
                  {hit.name}
                </Link>
                <span className="text-zinc-600 dark:text-zinc-400">
                  {hit.advisoryCount} build{hit.advisoryCount === 1 ? "" : "s"} · RHEL {hit.majors.join(", ")}
                </span>
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
    </div>
  );
}
