import Link from "next/link";
import { Instant } from "@/components/ui/instant";
import type { AlertListResponse } from "@/contract/alert-dto";
import { buildAlertLinks } from "@/contract/alert-list-query-string";
import { AlertQuietMarks, AlertStatusBadge } from "./alert-status-badge";

const linkClass = "text-link";

/** The mirror page's alerts: firing ones first, then the latest resolved, with the way to the full list. */
export function MirrorAlerts({ mirrorId, alerts }: { mirrorId: string; alerts: AlertListResponse }) {
  const { subscribeHref, feedHref } = buildAlertLinks({ mirror: [mirrorId] });
  return (
    <section aria-labelledby="mirror-alerts-heading" className="space-y-2">
      <h2 id="mirror-alerts-heading" className="text-lg font-semibold">
        Alerts for this mirror
      </h2>
      {alerts.items.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">No alert has fired for this mirror.</p>
      ) : (
        <ul className="space-y-2 text-sm">
          {alerts.items.map((alert) => (
            <li key={alert.id} className="flex flex-wrap items-center gap-x-3 gap-y-1">
              <AlertStatusBadge status={alert.status} />
              <Link href={`/alerts/${alert.id}`} className={linkClass}>
                {alert.summary}
              </Link>
              <span className="text-zinc-600 dark:text-zinc-400">
                since <Instant at={alert.startsAt} />
              </span>
              <AlertQuietMarks alert={alert} />
            </li>
          ))}
        </ul>
      )}
      <p className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
        <Link href={`/alerts?mirror=${encodeURIComponent(mirrorId)}`} className={linkClass}>
          {alerts.total > alerts.items.length ? `All ${alerts.total} alerts of this mirror` : "This mirror on the alerts page"}
        </Link>
        <a href={feedHref} className={linkClass} type="application/atom+xml">
          Atom feed
        </a>
        <Link href={subscribeHref} className={linkClass}>
          Get these by email
        </Link>
      </p>
    </section>
  );
}
