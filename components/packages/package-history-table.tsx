import Link from "next/link";
import { advisoryPath } from "@/contract/advisory-list-query-string";
import { describeLagOrigin, explainLag, formatLag } from "@/components/advisories/describe-time-origin";
import { SeverityLabel } from "@/components/advisories/severity-label";
import { Instant } from "@/components/ui/instant";
import { Table, rowThClass, tdClass, thClass } from "@/components/ui/table";
import { VerdictBadge } from "@/components/verdict-badge";
import { toSafeHref } from "@/core/check-link";
import type { PackageHistoryResponse } from "@/contract/package-history-dto";

const linkClass = "text-link";

/** One row per build an advisory shipped, one column per mirror. */
export function PackageHistoryTable({ history }: { history: PackageHistoryResponse }) {
  return (
    <Table caption={`Advisories that shipped ${history.name}, newest first, and their verdict per mirror`}>
      <thead>
        <tr>
          <th scope="col" className={thClass}>
            Advisory
          </th>
          <th scope="col" className={thClass}>
            Issued
          </th>
          <th scope="col" className={thClass}>
            Severity
          </th>
          <th scope="col" className={thClass}>
            Build
          </th>
          {history.mirrors.map((mirror) => (
            <th key={mirror.id} scope="col" className={thClass}>
              {mirror.name}
            </th>
          ))}
        </tr>
      </thead>
      {history.advisories.map((entry) => (
        <tbody key={entry.advisoryId}>
          {entry.builds.map((build, index) => (
            <tr key={`${build.nevra}/${build.major}/${build.stream}/${build.moduleStream ?? ""}`}>
              {index === 0 ? (
                <th scope="rowgroup" rowSpan={entry.builds.length} className={`${rowThClass} min-w-48`}>
                  <Link href={advisoryPath(entry.advisoryId)} className={`whitespace-nowrap font-mono ${linkClass}`}>
                    {entry.advisoryId}
                  </Link>
                  {entry.title ? <span className="block text-xs font-normal text-zinc-600 dark:text-zinc-400">{entry.title}</span> : null}
                </th>
              ) : null}
              {index === 0 ? (
                <td rowSpan={entry.builds.length} className={tdClass}>
                  <Instant at={entry.issuedAt} />
                </td>
              ) : null}
              {index === 0 ? (
                <td rowSpan={entry.builds.length} className={tdClass}>
                  <SeverityLabel severity={entry.severity} type={entry.type} />
                </td>
              ) : null}
              <td className={`${tdClass} min-w-48`}>
                <span className="break-words font-mono text-xs">{build.nevra}</span>
                <span className="block text-xs text-zinc-600 dark:text-zinc-400">
                  {[
                    `RHEL ${build.minor ?? build.major}`,
                    build.stream === "main" ? null : build.stream,
                    build.moduleStream ? `module ${build.moduleStream}` : null,
                  ]
                    .filter(Boolean)
                    .join(" · ")}
                </span>
              </td>
              {history.mirrors.map((mirror) => {
                const verdict = build.verdicts.find((candidate) => candidate.mirrorId === mirror.id);
                if (!verdict) {
                  return (
                    <td key={mirror.id} className={tdClass}>
                      <VerdictBadge status="not_applicable" />
                    </td>
                  );
                }
                const isPublished = verdict.status === "published";
                const lagTitle = isPublished ? explainLag(verdict) : undefined;
                const badge = (
                  <VerdictBadge
                    status={verdict.status}
                    reason={verdict.statusReason}
                    suffix={isPublished ? (formatLag(verdict) ?? undefined) : undefined}
                    title={lagTitle}
                  />
                );
                const timeNote = isPublished ? (
                  <span className="block text-xs text-zinc-600 dark:text-zinc-400" title={lagTitle}>
                    {describeLagOrigin(verdict)}
                    {verdict.isTimeSuspect ? " (mirror's time doubted)" : ""}
                  </span>
                ) : null;
                const evidenceHref = toSafeHref(verdict.evidenceUrl);
                return (
                  <td key={mirror.id} className={tdClass}>
                    {evidenceHref ? (
                      <a href={evidenceHref}>
                        {badge}
                        <span className="sr-only">
                          {" "}
                          on {mirror.name}: evidence for {build.nevra}
                        </span>
                      </a>
                    ) : (
                      badge
                    )}
                    {timeNote}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      ))}
    </Table>
  );
}
