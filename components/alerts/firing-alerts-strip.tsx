"use client";

import Link from "next/link";
import { FIRING_STRIP_QUERY } from "./firing-strip-query";
import { useAlerts } from "./hooks/use-alerts";

const linkClass = "underline hover:no-underline";

/** A strip on the overview while anything fires; nothing at all otherwise. */
export function FiringAlertsStrip() {
  const { data } = useAlerts(FIRING_STRIP_QUERY);
  if (!data || data.firingCount === 0) return null;
  const hidden = data.firingCount - data.items.length;
  return (
    <section
      aria-labelledby="firing-alerts-heading"
      className="rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-950 dark:border-red-800 dark:bg-red-950/50 dark:text-red-100"
    >
      <h2 id="firing-alerts-heading" className="font-semibold">
        <span aria-hidden="true">● </span>
        {data.firingCount === 1 ? "1 alert firing" : `${data.firingCount} alerts firing`}
      </h2>
      <ul className="mt-1 space-y-0.5">
        {data.items.map((alert) => (
          <li key={alert.id}>
            <Link href={`/alerts/${alert.id}`} className={linkClass}>
              {alert.summary}
            </Link>
            {alert.inhibitedById !== null ? <span> (folded into #{alert.inhibitedById})</span> : null}
            {alert.silenced ? <span> (silenced)</span> : null}
          </li>
        ))}
      </ul>
      <p className="mt-1">
        <Link href="/alerts?status=firing" className={`${linkClass} font-medium`}>
          {hidden > 0 ? `See all ${data.firingCount} firing alerts` : "See the alerts"}
        </Link>
      </p>
    </section>
  );
}
