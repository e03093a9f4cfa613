import { describePublishedElsewhereList } from "@/core/alerts/summarize-alert";
import type { Metadata } from "next";
import { cache } from "react";
import { buildPageMetadata } from "@/server/http/page-metadata";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AlertItemsTable, PartialStopEvidence, StaleEvidence, StopEvidence } from "@/components/alerts/alert-evidence";
import { buildAlertLinks } from "@/contract/alert-list-query-string";
import { AlertQuietMarks, AlertStatusBadge } from "@/components/alerts/alert-status-badge";
import { AlertTimeline } from "@/components/alerts/alert-timeline";
import { MirrorLink } from "@/components/mirrors/mirror-link";
import { formatDuration } from "@/core/format/format-duration";
import { Instant } from "@/components/ui/instant";
import { Panel } from "@/components/ui/panel";
import { getClock } from "@/server/clock";
import { NotFoundError } from "@/server/errors";
import type { AlertDetailResponse } from "@/contract/alert-dto";
import { getAlert } from "@/server/read/get-alert";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

/** What the listed updates are, per kind (any other kind: "the alert is about"). */
const ITEMS_CAPTIONS: Partial<Record<AlertDetailResponse["alert"]["kind"], string>> = {
  publishing_stopped: "released since the last publication",
  partial_stop: "of the window the mirror has not published",
};

const linkClass = "text-link";

/** The alert of this request, read once for its metadata and its page (React's per-request cache). */
const loadAlert = cache(async (segment: string): Promise<AlertDetailResponse | null> => {
  if (!/^[1-9]\d{0,15}$/.test(segment)) return null;
  try {
    return await getAlert(Number(segment), { now: getClock().now() });
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
});

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const detail = await loadAlert((await params).id);
  if (!detail) return { title: "Alert not found" };
  const { alert } = detail;
  return buildPageMetadata({
    title: `Alert #${alert.id}: ${alert.kindLabel}`,
    description: `${alert.status === "firing" ? "Firing" : "Resolved"} since ${(alert.resolvedAt ?? alert.startsAt).slice(0, 10)}. ${alert.summary}`,
    path: `/alerts/${alert.id}`,
  });
}

export default async function AlertPage({ params }: Params) {
  const detail = await loadAlert((await params).id);
  if (!detail) notFound();
  const { alert, now } = detail;
  const { details } = alert;
  const endedOrNow = alert.resolvedAt ?? now;
  const { subscribeHref, feedHref } = buildAlertLinks({
    mirror: [alert.mirrorId],
    major: alert.major === null ? undefined : [alert.major],
  });

  const elsewhere =
    alert.status === "firing" ? describePublishedElsewhereList(alert.details.publishedElsewhere, alert.details.items.length) : null;

  return (
    <div className="space-y-6">
      <header className="space-y-2">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          <Link href="/alerts" className={linkClass}>
            Alerts
          </Link>{" "}
          · #{alert.id}
        </p>
        <h1 className="text-2xl font-semibold tracking-tight">{alert.kindLabel}</h1>
        <p className="text-lg">{alert.summary}</p>
        {elsewhere ? <p>{elsewhere}</p> : null}
        <div className="flex flex-wrap items-center gap-3">
          <AlertStatusBadge status={alert.status} />
          <AlertQuietMarks alert={alert} />
        </div>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm sm:flex sm:flex-wrap sm:gap-x-6">
          <div className="contents sm:flex sm:gap-2">
            <dt className="text-zinc-600 dark:text-zinc-400">Mirror</dt>
            <dd>
              <MirrorLink mirrorId={alert.mirrorId}>{alert.mirrorName}</MirrorLink>
            </dd>
          </div>
          <div className="contents sm:flex sm:gap-2">
            <dt className="text-zinc-600 dark:text-zinc-400">RHEL</dt>
            <dd>{alert.major === null ? "all majors" : alert.major}</dd>
          </div>
          <div className="contents sm:flex sm:gap-2">
            <dt className="text-zinc-600 dark:text-zinc-400">Firing since</dt>
            <dd>
              <Instant at={alert.startsAt} />
            </dd>
          </div>
          {alert.resolvedAt ? (
            <div className="contents sm:flex sm:gap-2">
              <dt className="text-zinc-600 dark:text-zinc-400">Resolved</dt>
              <dd>
                <Instant at={alert.resolvedAt} />
              </dd>
            </div>
          ) : null}
          <div className="contents sm:flex sm:gap-2">
            <dt className="text-zinc-600 dark:text-zinc-400">{alert.resolvedAt ? "Lasted" : "For"}</dt>
            <dd className="tabular-nums">{formatDuration((new Date(endedOrNow).getTime() - new Date(alert.startsAt).getTime()) / 1000)}</dd>
          </div>
          {alert.severity ? (
            <div className="contents sm:flex sm:gap-2">
              <dt className="text-zinc-600 dark:text-zinc-400">Worst severity</dt>
              <dd>{alert.severity}</dd>
            </div>
          ) : null}
        </dl>
        <p className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
          <a href={feedHref} className={linkClass} type="application/atom+xml">
            Atom feed for this mirror{alert.major === null ? "" : ` and RHEL ${alert.major}`}
          </a>
          <Link href={subscribeHref} className={linkClass}>
            Get these by email
          </Link>
        </p>
      </header>

      {alert.activeSilences.length > 0 ? (
        <Panel tone="info" title="Silenced: listed here, but nobody is notified">
          <ul>
            {alert.activeSilences.map((silence) => (
              <li key={silence.id}>
                Silence #{silence.id} by {silence.author} until <Instant at={silence.endsAt} />: {silence.comment}
              </li>
            ))}
          </ul>
        </Panel>
      ) : null}
      {alert.inhibitedById !== null && alert.status === "firing" ? (
        <Panel tone="info" title="Folded into a wider alert">
          <p>
            The mirror stopped publishing RHEL {alert.major}, or some of its packages, which explains these updates: subscribers hear about{" "}
            <Link href={`/alerts/${alert.inhibitedById}`} className={linkClass}>
              alert #{alert.inhibitedById}
            </Link>{" "}
            instead of each update.
          </p>
        </Panel>
      ) : null}

      {details.stop ? <StopEvidence stop={details.stop} /> : null}
      {details.partialStop ? (
        <PartialStopEvidence partialStop={details.partialStop} mirrorName={alert.mirrorName} major={alert.major ?? details.major} />
      ) : null}
      {details.stale ? <StaleEvidence stale={details.stale} /> : null}

      {details.items.length > 0 ? (
        <section aria-labelledby="updates-heading" className="space-y-2">
          <h2 id="updates-heading" className="text-lg font-semibold">
            Updates
          </h2>
          <AlertItemsTable
            items={details.items}
            caption={`${details.items.length} ${details.items.length === 1 ? "update" : "updates"} ${ITEMS_CAPTIONS[alert.kind] ?? "the alert is about"}${alert.status === "resolved" ? ", as last seen" : ""}`}
          />
        </section>
      ) : null}

      <section aria-labelledby="timeline-heading" className="space-y-2">
        <h2 id="timeline-heading" className="text-lg font-semibold">
          Timeline
        </h2>
        {alert.events.length === 0 ? <p className="text-sm">No events recorded.</p> : <AlertTimeline events={alert.events} />}
      </section>
    </div>
  );
}
