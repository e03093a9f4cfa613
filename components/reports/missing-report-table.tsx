"use client";

import Link from "next/link";
import { advisoryPath } from "@/contract/advisory-list-query-string";
import { SeverityLabel } from "@/components/advisories/severity-label";
import { packageNameOf, packagePath } from "@/components/packages/package-path";
import { explainLag, formatLag } from "@/components/advisories/describe-time-origin";
import { Instant } from "@/components/ui/instant";
import { Table, rowThClass, tdClass, thClass } from "@/components/ui/table";
import { VerdictBadge } from "@/components/verdict-badge";
import { toSafeHref } from "@/core/check-link";
import { formatAgeDays } from "@/core/format/format-report-numbers";
import type { MissingReportRow } from "@/contract/missing-report-dto";

const linkClass = "text-link";

function AvailableFromCell({ row }: { row: MissingReportRow }) {
  if (row.availableFrom.length === 0) return <span className="text-zinc-600 dark:text-zinc-400">nowhere yet</span>;
  return (
    <ul className="space-y-0.5">
      {row.availableFrom.map((source) => {
        const href = toSafeHref(source.evidenceUrl);
        return (
          <li key={source.mirrorId}>
            {href ? (
              <a href={href} className={linkClass} aria-label={`${source.mirrorName}: evidence for ${row.advisoryId}`}>
                {source.mirrorName}
              </a>
            ) : (
              source.mirrorName
            )}
            {source.relation === "related" ? <span className="text-xs text-zinc-600 dark:text-zinc-400"> (related build)</span> : null}
            {formatLag(source) ? (
              <span className="whitespace-nowrap text-xs text-zinc-600 dark:text-zinc-400" title={explainLag(source)}>
                {" "}
                · {source.lagTimeOrigin === "before_tracking" ? "published before tracking" : `lag ${formatLag(source)}`}
              </span>
            ) : null}
            {source.publishedPackages < row.packages.length ? (
              <span className="text-xs text-zinc-600 dark:text-zinc-400">
                {" "}
                ({source.publishedPackages} of {row.packages.length})
              </span>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

/** What the mirror should show for a package and what it does: the lines a bug report quotes. */
function PackageCheck({ check }: { check: MissingReportRow["checks"][number] }) {
  const checkedHref = toSafeHref(check.checkedUrl);
  return (
    <span className="block break-words text-zinc-600 dark:text-zinc-400">
      expected {check.expected}
      {checkedHref ? (
        <>
          {" "}
          in{" "}
          <a href={checkedHref} className={linkClass}>
            {checkedHref.replace(/^https?:\/\//, "")}
          </a>
        </>
      ) : null}
      ; newest there: {check.newestFound ? <span className="font-mono">{check.newestFound.nevra}</span> : "none"}; checked{" "}
      {check.lastCheckedAt ? <Instant at={check.lastCheckedAt} /> : "never"}
    </span>
  );
}

/** The report on screen: the same rows and columns as its CSV (see MISSING_REPORT_COLUMNS). */
export function MissingReportTable({ caption, rows }: { caption: string; rows: MissingReportRow[] }) {
  return (
    <Table caption={caption}>
      <thead>
        <tr>
          {["Advisory", "Issued", "Age (days)", "Severity", "Mirror", "Status", "RHEL", "Packages", "Available from"].map((header) => (
            <th key={header} scope="col" className={`${thClass} ${header === "Age (days)" ? "text-right" : ""}`}>
              {header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={`${row.advisoryId}/${row.mirrorId}`}>
            <th scope="row" className={`${rowThClass} min-w-48`}>
              <Link href={advisoryPath(row.advisoryId)} className={`whitespace-nowrap font-mono ${linkClass}`}>
                {row.advisoryId}
              </Link>
              {row.title ? <span className="block text-xs font-normal text-zinc-600 dark:text-zinc-400">{row.title}</span> : null}
            </th>
            <td className={tdClass}>
              <Instant at={row.issuedAt} />
            </td>
            <td className={`${tdClass} text-right tabular-nums`}>{formatAgeDays(row.ageSeconds)}</td>
            <td className={tdClass}>
              <SeverityLabel severity={row.severity} type={row.type} />
            </td>
            <td className={`${tdClass} whitespace-nowrap`}>{row.mirrorName}</td>
            <td className={tdClass}>
              <VerdictBadge status={row.status} />
            </td>
            <td className={`${tdClass} tabular-nums`}>{row.majors.join(" ")}</td>
            <td className={`${tdClass} min-w-48 text-xs`}>
              <ul className="space-y-1">
                {row.packages.map((nevra) => {
                  const check = row.checks.find((candidate) => candidate.package === nevra);
                  return (
                    <li key={nevra}>
                      <Link href={packagePath(packageNameOf(nevra))} className={`break-words font-mono ${linkClass}`}>
                        {nevra}
                      </Link>
                      {check ? <PackageCheck check={check} /> : null}
                    </li>
                  );
                })}
              </ul>
            </td>
            <td className={`${tdClass} min-w-40`}>
              <AvailableFromCell row={row} />
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
