"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useId, useMemo } from "react";
import { Pagination } from "@/components/advisories/pagination";
import { useMirrors } from "@/components/mirrors/hooks/use-mirrors";
import { MirrorLink } from "@/components/mirrors/mirror-link";
import { QueryStatus } from "@/components/query-status";
import { parseQueryString } from "@/contract/query-string";
import { formatDuration } from "@/core/format/format-duration";
import { Instant } from "@/components/ui/instant";
import { EmptyState } from "@/components/data-gap";
import { Panel } from "@/components/ui/panel";
import { Table, rowThClass, tdClass, thClass } from "@/components/ui/table";
import { ALERT_KIND_LABELS, ALERT_KINDS } from "@/core/alerts/types";
import { AlertListQuery, ALERT_STATUS_FILTERS, type AlertSummaryDto } from "@/contract/alert-dto";
import { buildAlertLinks, DEFAULT_ALERT_LIST_QUERY, toAlertListQueryString } from "@/contract/alert-list-query-string";
import { AlertQuietMarks, AlertStatusBadge } from "./alert-status-badge";
import { useAlerts } from "./hooks/use-alerts";

const STATUS_LABELS: Record<(typeof ALERT_STATUS_FILTERS)[number], string> = {
  all: "Firing and resolved",
  firing: "Firing",
  resolved: "Resolved",
};
const labelClass = "text-xs font-semibold uppercase tracking-wide text-zinc-600 dark:text-zinc-400";
const controlClass = "rounded border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900";
const linkClass = "text-link";

function FilterSelect({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string;
  options: { value: string; label: string }[];
  onChange: (value: string) => void;
}) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)} className={controlClass}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
        {options.some((option) => option.value === value) ? null : <option value={value}>{value}</option>}
      </select>
    </div>
  );
}

function duration(alert: Pick<AlertSummaryDto, "startsAt" | "resolvedAt">, now: string): string {
  return formatDuration((new Date(alert.resolvedAt ?? now).getTime() - new Date(alert.startsAt).getTime()) / 1000);
}

/** Firing and resolved alerts with filters kept in the URL; refetched while open. */
export function AlertsView() {
  const searchParams = useSearchParams();
  const parsed = useMemo(() => parseQueryString(AlertListQuery, new URLSearchParams(searchParams.toString())), [searchParams]);
  const query = parsed.success ? parsed.data : DEFAULT_ALERT_LIST_QUERY;
  const alerts = useAlerts(query);
  const mirrors = useMirrors();

  if (!parsed.success) {
    return (
      <Panel tone="error" role="alert" title="This filter is not valid">
        <p>{parsed.message}</p>
        <p>
          <Link href="/alerts" className={linkClass}>
            Show every alert
          </Link>
        </p>
      </Panel>
    );
  }

  const navigate = (next: Partial<AlertListQuery>) => {
    const queryString = toAlertListQueryString({ ...query, page: 1, ...next });
    window.history.replaceState(null, "", queryString ? `/alerts?${queryString}` : "/alerts");
  };
  const hrefForPage = (page: number) => {
    const queryString = toAlertListQueryString({ ...query, page });
    return queryString ? `/alerts?${queryString}` : "/alerts";
  };
  const mirrorList = mirrors.data?.mirrors ?? [];
  const majors = [...new Set(mirrorList.flatMap((mirror) => mirror.majors))].sort((a, b) => a - b);
  const { subscribeHref, feedHref } = buildAlertLinks(query);
  const data = alerts.data;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        <FilterSelect
          label="Status"
          value={query.status}
          options={(["all", "firing", "resolved"] as const).map((status) => ({ value: status, label: STATUS_LABELS[status] }))}
          onChange={(status) => navigate({ status: status as AlertListQuery["status"] })}
        />
        <FilterSelect
          label="Mirror"
          value={query.mirror?.join(",") ?? ""}
          options={[{ value: "", label: "All mirrors" }, ...mirrorList.map((mirror) => ({ value: mirror.id, label: mirror.name }))]}
          onChange={(mirror) => navigate({ mirror: mirror ? mirror.split(",") : undefined })}
        />
        <FilterSelect
          label="RHEL"
          value={query.major?.join(",") ?? ""}
          options={[{ value: "", label: "All majors" }, ...majors.map((major) => ({ value: String(major), label: `RHEL ${major}` }))]}
          onChange={(major) => navigate({ major: major ? major.split(",").map(Number) : undefined })}
        />
        <FilterSelect
          label="Kind"
          value={query.kind?.join(",") ?? ""}
          options={[{ value: "", label: "All kinds" }, ...ALERT_KINDS.map((kind) => ({ value: kind, label: ALERT_KIND_LABELS[kind] }))]}
          onChange={(kind) => navigate({ kind: kind ? (kind.split(",") as AlertListQuery["kind"]) : undefined })}
        />
        {alerts.isPlaceholderData ? (
          <p role="status" className="text-sm text-zinc-500 dark:text-zinc-400">
            Updating…
          </p>
        ) : null}
      </div>
      <p className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
        <a href={feedHref} className={linkClass} type="application/atom+xml">
          Atom feed of these alerts
        </a>
        <Link href={subscribeHref} className={linkClass}>
          Get these by email
        </Link>
      </p>
      {!data ? (
        <QueryStatus query={alerts} what="alerts" />
      ) : data.items.length === 0 ? (
        <EmptyState title={query.status === "firing" || data.firingCount === 0 ? "Nothing is firing." : "No alerts match these filters."}>
          <p>
            srcwatch raises an alert when a mirror stops publishing (all of a RHEL major, or some of its packages), when updates are missing
            or delayed on it, and when it cannot poll a mirror.
          </p>
        </EmptyState>
      ) : (
        <>
          <p role="status" className="text-sm">
            {data.firingCount === 0 ? "Nothing firing" : `${data.firingCount} firing`} · {data.total}{" "}
            {data.total === 1 ? "alert" : "alerts"} in this list
          </p>
          <Table caption="Alerts, firing first, then newest first">
            <thead>
              <tr>
                <th scope="col" className={thClass}>
                  Alert
                </th>
                <th scope="col" className={thClass}>
                  Mirror
                </th>
                <th scope="col" className={thClass}>
                  RHEL
                </th>
                <th scope="col" className={thClass}>
                  Since
                </th>
                <th scope="col" className={`${thClass} text-right`}>
                  Duration
                </th>
                <th scope="col" className={`${thClass} text-right`}>
                  Updates
                </th>
                <th scope="col" className={thClass}>
                  Status
                </th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((alert) => (
                <tr key={alert.id}>
                  <th scope="row" className={`${rowThClass} min-w-64`}>
                    <Link href={`/alerts/${alert.id}`} className={linkClass}>
                      {alert.kindLabel}
                    </Link>
                    <span className="block text-xs font-normal text-zinc-600 dark:text-zinc-400">{alert.summary}</span>
                  </th>
                  <td className={tdClass}>
                    <MirrorLink mirrorId={alert.mirrorId}>{alert.mirrorName}</MirrorLink>
                  </td>
                  <td className={`${tdClass} whitespace-nowrap`}>{alert.major === null ? "all" : alert.major}</td>
                  <td className={tdClass}>
                    <Instant at={alert.startsAt} />
                  </td>
                  <td className={`${tdClass} whitespace-nowrap text-right tabular-nums`}>{duration(alert, data.now)}</td>
                  <td className={`${tdClass} text-right tabular-nums`}>{alert.kind === "mirror_stale" ? "—" : alert.itemCount}</td>
                  <td className={`${tdClass} space-y-1`}>
                    <AlertStatusBadge status={alert.status} />
                    <AlertQuietMarks alert={alert} />
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
          <Pagination
            page={data.page}
            pageSize={data.pageSize}
            total={data.total}
            hrefForPage={hrefForPage}
            onPage={(page) => navigate({ page })}
          />
        </>
      )}
    </div>
  );
}
