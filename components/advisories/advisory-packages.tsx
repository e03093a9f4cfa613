"use client";

import Link from "next/link";
import { packagePath } from "@/components/packages/package-path";
import { QueryStatus } from "@/components/query-status";
import { Instant } from "@/components/ui/instant";
import { RelativeInstant } from "@/components/ui/relative-instant";
import { Table, tdClass, thClass } from "@/components/ui/table";
import { VerdictBadge } from "@/components/verdict-badge";
import { toSafeHref } from "@/core/check-link";
import { worstVerdict } from "@/core/worst-verdict";
import type { AdvisoryPackageDto } from "@/contract/advisory-dto";
import type { PackageVerdictDto } from "@/contract/verdict-dto";
import { describeLagOrigin, describeTimeOrigin, explainLag, formatLag, SUSPECT_TIME_NOTE } from "./describe-time-origin";
import { useAdvisory } from "./hooks/use-advisory";

function describeVariant(pkg: AdvisoryPackageDto): string {
  return [
    `RHEL ${pkg.minor ?? pkg.major}`,
    pkg.stream === "main" ? null : pkg.stream,
    pkg.moduleStream ? `module ${pkg.moduleStream}` : null,
  ]
    .filter(Boolean)
    .join(" · ");
}

const EVIDENCE_KIND_LABELS: Record<string, string> = { tag: "git tag", srpm: "SRPM", erratum: "erratum", package: "repository package" };

const MATCH_LABELS: Record<string, string> = {
  exact: "exact",
  equivalent: "equivalent rebuild",
  newer: "newer build",
  older: "older build",
  // el8_7 where el8_8 was released (or el8 against el8_8): the same package built for another RHEL minor release.
  different_stream: "minor-release mismatch",
  epoch_mismatch: "epoch mismatch",
};

function MatchCell({ match }: { match: PackageVerdictDto["match"] }) {
  if (!match) return <span className="text-zinc-500 dark:text-zinc-400">—</span>;
  return (
    <div className="space-y-0.5">
      <span className="font-medium">{MATCH_LABELS[match.outcome] ?? match.outcome}</span>
      <span className="block text-xs text-zinc-600 dark:text-zinc-400">{match.reason}</span>
    </div>
  );
}

function EvidenceCell({ verdict }: { verdict: PackageVerdictDto }) {
  const { evidence } = verdict;
  if (!evidence) return <span className="text-zinc-500 dark:text-zinc-400">—</span>;
  const href = toSafeHref(evidence.url);
  return (
    <div className="space-y-0.5">
      <span className="block text-xs uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
        {EVIDENCE_KIND_LABELS[evidence.kind] ?? evidence.kind}
      </span>
      {href ? (
        <a
          href={href}
          aria-label={`Evidence on ${verdict.mirrorName}: ${evidence.ref}`}
          className="break-words font-mono text-xs text-link"
        >
          {evidence.ref}
        </a>
      ) : (
        <span className="block break-words font-mono text-xs">{evidence.ref}</span>
      )}
      <span className="block font-mono text-xs text-zinc-600 dark:text-zinc-400">found {evidence.nevra}</span>
      {evidence.commitSha ? (
        <span className="block font-mono text-xs text-zinc-500 dark:text-zinc-400" title={evidence.commitSha}>
          commit {evidence.commitSha.slice(0, 12)}
        </span>
      ) : null}
    </div>
  );
}

/** The lag build's first sight: the build the lag is measured to (lagEvidence, else evidence). */
function lagBuildOf(verdict: PackageVerdictDto): PackageVerdictDto["evidence"] {
  return verdict.lagEvidence ?? verdict.evidence;
}

/**
 * The stored lag, never another: "6 h" with the mirror's time origin, "≤ 6 h" for our first sight (an upper bound, with
 * its precision), "published before tracking" for a build there at our first look (no lag).
 */
export function LagCell({ verdict }: { verdict: PackageVerdictDto }) {
  const view = { ...verdict, firstSeenAt: lagBuildOf(verdict)?.firstSeenAt ?? null };
  const lag = verdict.status === "published" ? formatLag(view) : null;
  if (lag === null) return <>—</>;
  const isBeforeTracking = verdict.lagTimeOrigin === "before_tracking";
  return (
    <div className="space-y-0.5" title={explainLag(view)}>
      <span className={isBeforeTracking ? "text-zinc-700 dark:text-zinc-300" : "whitespace-nowrap"}>
        {isBeforeTracking ? "published before tracking" : lag}
      </span>
      <span className="block text-xs text-zinc-600 dark:text-zinc-400">{describeLagOrigin(view)}</span>
      {verdict.isTimeSuspect ? (
        <span className="block text-xs text-amber-700 dark:text-amber-300" title={SUSPECT_TIME_NOTE}>
          mirror&apos;s time doubted
        </span>
      ) : null}
      {verdict.lagEvidence ? (
        <span className="block font-mono text-xs text-zinc-600 dark:text-zinc-400" title="An earlier build that also carries the fix">
          of {verdict.lagEvidence.nevra}
        </span>
      ) : null}
    </div>
  );
}

/** When a poll first found the build, and whether it was absent at an earlier one (else it was there at our first look). */
export function FirstSeenCell({ evidence }: { evidence: PackageVerdictDto["evidence"] }) {
  if (!evidence) return <>—</>;
  return (
    <div className="space-y-0.5">
      <Instant at={evidence.firstSeenAt} />
      <span className="block text-xs text-zinc-600 dark:text-zinc-400">
        {evidence.lastAbsentAt ? (
          <>
            absent at the poll of <Instant at={evidence.lastAbsentAt} />
          </>
        ) : (
          "there at our first look"
        )}
      </span>
    </div>
  );
}

export function PublishedCell({ evidence }: { evidence: PackageVerdictDto["evidence"] }) {
  if (!evidence?.publishedAt) return <>—</>;
  return (
    <div className="space-y-0.5">
      <Instant at={evidence.publishedAt} />
      <span className="block text-xs text-zinc-600 dark:text-zinc-400">{describeTimeOrigin(evidence.publishedAtOrigin)}</span>
    </div>
  );
}

function MirrorSummary({ packages }: { packages: AdvisoryPackageDto[] }) {
  const byMirror = new Map<string, { name: string; verdicts: PackageVerdictDto[] }>();
  for (const pkg of packages) {
    for (const verdict of pkg.verdicts) {
      const entry = byMirror.get(verdict.mirrorId) ?? { name: verdict.mirrorName, verdicts: [] };
      entry.verdicts.push(verdict);
      byMirror.set(verdict.mirrorId, entry);
    }
  }
  if (byMirror.size === 0) return null;
  return (
    <ul className="flex flex-wrap gap-x-6 gap-y-2 text-sm" aria-label="Status per mirror">
      {[...byMirror].map(([mirrorId, { name, verdicts }]) => {
        const published = verdicts.filter((verdict) => verdict.status === "published").length;
        const applicable = verdicts.filter((verdict) => verdict.status !== "not_applicable").length;
        return (
          <li key={mirrorId} className="flex items-center gap-2">
            <span className="font-medium">{name}</span>
            <VerdictBadge status={worstVerdict(verdicts.map((verdict) => verdict.status))} />
            <span className="text-zinc-600 dark:text-zinc-400">
              {published} of {applicable} package{applicable === 1 ? "" : "s"} published
            </span>
          </li>
        );
      })}
    </ul>
  );
}

/** Package × mirror: where each source package was found, with a link to the proof. */
export function AdvisoryPackages({ id }: { id: string }) {
  const advisory = useAdvisory(id);
  if (!advisory.data) return <QueryStatus query={advisory} what="the packages" />;
  const { packages, now } = advisory.data;

  return (
    <section aria-labelledby="packages-heading" className="space-y-3">
      <h2 id="packages-heading" className="text-lg font-semibold">
        Source packages on mirrors
      </h2>
      <MirrorSummary packages={packages} />
      {advisory.isError ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          Live update failed: {advisory.error.message}
        </p>
      ) : null}
      <Table caption={`The ${packages.length} source package${packages.length === 1 ? "" : "s"} of ${id} and their verdict per mirror`}>
        <thead>
          <tr>
            <th scope="col" className={thClass}>
              Package
            </th>
            <th scope="col" className={thClass}>
              Mirror
            </th>
            <th scope="col" className={thClass}>
              Verdict
            </th>
            <th scope="col" className={`${thClass} text-right`}>
              Lag
            </th>
            <th scope="col" className={thClass}>
              Match
            </th>
            <th scope="col" className={thClass}>
              Evidence
            </th>
            <th scope="col" className={thClass}>
              First seen
            </th>
            <th scope="col" className={thClass}>
              Published
            </th>
            <th scope="col" className={thClass}>
              Since
            </th>
          </tr>
        </thead>
        {packages.map((pkg) => {
          const packageHeader = (rowSpan: number) => (
            <th scope="rowgroup" rowSpan={rowSpan} className={`${tdClass} min-w-48 text-left font-medium`}>
              <Link
                href={packagePath(pkg.name)}
                title={`Every advisory of ${pkg.name}`}
                className="break-words font-mono text-xs text-link"
              >
                {pkg.nevra}
              </Link>
              <span className="block text-xs font-normal text-zinc-600 dark:text-zinc-400">{describeVariant(pkg)}</span>
            </th>
          );
          return (
            <tbody key={`${pkg.nevra}:${pkg.major}:${pkg.stream}:${pkg.moduleStream ?? ""}`}>
              {pkg.verdicts.length === 0 ? (
                <tr>
                  {packageHeader(1)}
                  <td colSpan={8} className={`${tdClass} text-zinc-600 dark:text-zinc-400`}>
                    No configured mirror carries RHEL {pkg.major} {pkg.stream}.
                  </td>
                </tr>
              ) : (
                pkg.verdicts.map((verdict, index) => (
                  <tr key={verdict.mirrorId}>
                    {index === 0 ? packageHeader(pkg.verdicts.length) : null}
                    <td className={`${tdClass} whitespace-nowrap`}>
                      {verdict.mirrorName}
                      {verdict.mirrorRelation === "related" ? (
                        <span className="block text-xs text-zinc-600 dark:text-zinc-400">related builds, not RHEL&apos;s own</span>
                      ) : null}
                    </td>
                    <td className={tdClass}>
                      <VerdictBadge status={verdict.status} reason={verdict.statusReason} />
                    </td>
                    <td className={`${tdClass} min-w-36 text-right tabular-nums`}>
                      <LagCell verdict={verdict} />
                    </td>
                    <td className={`${tdClass} min-w-40`}>
                      <MatchCell match={verdict.match} />
                    </td>
                    <td className={`${tdClass} min-w-56`}>
                      <EvidenceCell verdict={verdict} />
                    </td>
                    <td className={tdClass}>
                      <FirstSeenCell evidence={verdict.evidence} />
                    </td>
                    <td className={tdClass}>
                      <PublishedCell evidence={verdict.evidence} />
                    </td>
                    <td className={tdClass}>
                      <RelativeInstant at={verdict.since} now={now} />
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          );
        })}
      </Table>
    </section>
  );
}
