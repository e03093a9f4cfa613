import Link from "next/link";
import type { ReactNode } from "react";
import { SeverityLabel } from "@/components/advisories/severity-label";
import { formatDuration } from "@/core/format/format-duration";
import { Instant } from "@/components/ui/instant";
import { Table, rowThClass, tdClass, thClass } from "@/components/ui/table";
import { VerdictBadge } from "@/components/verdict-badge";
import { findLinkHost, toSafeHref } from "@/core/check-link";
import { VERDICT_STATUSES, type VerdictStatus } from "@/core/types";
import type { AlertDetailsDto } from "@/contract/alert-dto";
import { describeStopNormalLag, describeStopReleasedSince } from "@/core/alerts/summarize-alert";
import { describePartialStopSentence, describePartialStopWindow, formatPartialStopLag } from "@/core/format/describe-partial-stop";

const linkClass = "text-link";
const isVerdictStatus = (status: string): status is VerdictStatus => (VERDICT_STATUSES as readonly string[]).includes(status);

function AdvisoryPageLink({ advisoryId, url }: { advisoryId: string; url: string }) {
  const href = toSafeHref(url);
  if (!href) return null;
  return (
    <a href={href} className={`${linkClass} text-xs font-normal`}>
      {findLinkHost(href)}
      <span className="sr-only"> page of {advisoryId}</span>
    </a>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="contents sm:flex sm:gap-2">
      <dt className="text-zinc-600 dark:text-zinc-400">{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function StopEvidence({ stop }: { stop: NonNullable<AlertDetailsDto["stop"]> }) {
  return (
    <section aria-labelledby="stop-heading" className="space-y-2">
      <h2 id="stop-heading" className="text-lg font-semibold">
        Why it counts as stopped
      </h2>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm sm:flex sm:flex-wrap sm:gap-x-6">
        <Fact label="Last publication">
          <Instant at={stop.lastPublishedAt} />
        </Fact>
        <Fact label="Normal lag">{describeStopNormalLag(stop)}</Fact>
        <Fact label="Released since">{describeStopReleasedSince(stop)}</Fact>
      </dl>
    </section>
  );
}

function PackageNames({ id, title, names, empty }: { id: string; title: string; names: string[]; empty: string }) {
  return (
    <div className="min-w-0 space-y-1">
      <h3 id={id} className="text-sm font-semibold">
        {title} ({names.length})
      </h3>
      {names.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{empty}</p>
      ) : (
        <ul aria-labelledby={id} className="flex flex-wrap gap-1.5">
          {names.map((name) => (
            <li key={name} className="max-w-full break-all rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs dark:bg-zinc-800">
              {name}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The rule's numbers for a partly stopped mirror × major, as the mail and the feed word them, and every stopped and kept package. */
export function PartialStopEvidence({
  partialStop,
  mirrorName,
  major,
}: {
  partialStop: NonNullable<AlertDetailsDto["partialStop"]>;
  mirrorName: string;
  major: number | null;
}) {
  return (
    <section aria-labelledby="partial-stop-heading" className="space-y-3">
      <h2 id="partial-stop-heading" className="text-lg font-semibold">
        Why it counts as a partial stop
      </h2>
      <p className="text-base font-medium">{describePartialStopSentence(mirrorName, partialStop, major)}</p>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">{describePartialStopWindow(partialStop)}</p>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm sm:flex sm:flex-wrap sm:gap-x-6">
        <Fact label="Published in the window">
          <span className="tabular-nums">
            {partialStop.publishedInWindow} of {partialStop.windowSize}
          </span>
        </Fact>
        <Fact label="Normally">
          <span className="tabular-nums">
            {partialStop.publishedInBaseline} of {partialStop.baselineSize}
          </span>
        </Fact>
        <Fact label="Normal lag">{formatPartialStopLag(partialStop)}</Fact>
      </dl>
      <div className="grid gap-4 sm:grid-cols-2">
        <PackageNames
          id="stopped-packages-heading"
          title="Packages it stopped publishing"
          names={partialStop.stoppedPackages}
          empty="None named."
        />
        <PackageNames
          id="kept-packages-heading"
          title="Packages still arriving"
          names={partialStop.keptPackages}
          empty="None in this window."
        />
      </div>
    </section>
  );
}

export function StaleEvidence({ stale }: { stale: NonNullable<AlertDetailsDto["stale"]> }) {
  return (
    <section aria-labelledby="stale-heading" className="space-y-2">
      <h2 id="stale-heading" className="text-lg font-semibold">
        Why our data is stale
      </h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        srcwatch cannot poll this mirror: its other alerts are frozen until polling works again, since our outage is not the mirror&apos;s
        failure.
      </p>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm sm:flex sm:flex-wrap sm:gap-x-6">
        <Fact label="Last successful poll">{stale.lastSuccessAt ? <Instant at={stale.lastSuccessAt} /> : "never"}</Fact>
        <Fact label="Stale after">{formatDuration(stale.staleAfterMinutes * 60)}</Fact>
        <Fact label="Failures in a row">{stale.consecutiveFailures}</Fact>
        {stale.lastErrorKind || stale.lastErrorMessage ? (
          <Fact label="Last error">
            <span className="break-words">{[stale.lastErrorKind, stale.lastErrorMessage].filter(Boolean).join(": ")}</span>
          </Fact>
        ) : null}
      </dl>
    </section>
  );
}

/** The updates (advisory × major) an alert is about, with the packages not on the mirror. */
export function AlertItemsTable({ items, caption }: { items: AlertDetailsDto["items"]; caption: string }) {
  const hasElsewhere = items.some((item) => item.publishedOn !== undefined);
  return (
    <Table caption={caption}>
      <thead>
        <tr>
          <th scope="col" className={thClass}>
            Advisory
          </th>
          <th scope="col" className={thClass}>
            Severity
          </th>
          <th scope="col" className={thClass}>
            Packages
          </th>
          <th scope="col" className={thClass}>
            Released
          </th>
          <th scope="col" className={`${thClass} text-right`}>
            Age
          </th>
          {hasElsewhere ? (
            <th scope="col" className={thClass}>
              Already on
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={`${item.advisoryId}/${item.major}`}>
            <th scope="row" className={`${rowThClass} min-w-56`}>
              <Link href={`/advisories/${encodeURIComponent(item.advisoryId)}`} className={`${linkClass} font-mono`}>
                {item.advisoryId}
              </Link>{" "}
              <AdvisoryPageLink advisoryId={item.advisoryId} url={item.advisoryUrl} />
              {item.title ? <span className="block text-xs font-normal text-zinc-600 dark:text-zinc-400">{item.title}</span> : null}
            </th>
            <td className={tdClass}>
              <SeverityLabel severity={item.severity} type="security" />
            </td>
            <td className={tdClass}>
              <ul className="space-y-1">
                {item.packages.map((pkg) => (
                  <li key={pkg.nevra} className="flex flex-wrap items-center gap-2">
                    <span className="font-mono text-xs">{pkg.nevra}</span>
                    {isVerdictStatus(pkg.status) ? <VerdictBadge status={pkg.status} /> : <span className="text-xs">{pkg.status}</span>}
                  </li>
                ))}
              </ul>
            </td>
            <td className={tdClass}>
              <Instant at={item.issuedAt} />
            </td>
            <td className={`${tdClass} whitespace-nowrap text-right tabular-nums`}>{formatDuration(item.ageHours * 3600)}</td>
            {hasElsewhere ? (
              <td className={tdClass}>
                {item.publishedOn && item.publishedOn.length > 0 ? (
                  <ul>
                    {item.publishedOn.map((mirror) => (
                      <li key={mirror.mirrorId}>
                        <Link href={`/mirrors/${encodeURIComponent(mirror.mirrorId)}`} className={linkClass}>
                          {mirror.mirrorName}
                        </Link>
                      </li>
                    ))}
                  </ul>
                ) : (
                  <span className="text-zinc-600 dark:text-zinc-400">no other mirror</span>
                )}
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
