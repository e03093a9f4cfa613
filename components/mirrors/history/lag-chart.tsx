"use client";

import { useId, useState } from "react";
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { formatDuration } from "@/core/format/format-duration";
import { Table, rowThClass, tdClass, thClass } from "@/components/ui/table";
import { SEVERITIES } from "@/core/types";
import type { LagPercentiles, MirrorHistoryBucket, MirrorHistoryResponse } from "@/contract/mirror-history-dto";
import { chartColorClasses, keepSeriesOrder, tooltipStyle } from "./chart-colors";
import { describeLag, formatBucketLabel } from "./describe-mirror-history";

const ALL_SEVERITIES = "all";
const NO_SEVERITY = "none";

const LINES = [
  { key: "p50", name: "p50 (median)", stroke: "var(--chart-p50)", dash: undefined },
  { key: "p90", name: "p90", stroke: "var(--chart-p90)", dash: "6 3" },
  { key: "p99", name: "p99", stroke: "var(--chart-p99)", dash: "2 3" },
] as const;

function selectLag(bucket: MirrorHistoryBucket, severity: string): LagPercentiles | null {
  if (severity === ALL_SEVERITIES) return bucket.lag;
  return bucket.lagBySeverity.find((entry) => (entry.severity ?? NO_SEVERITY) === severity) ?? null;
}

const toHours = (seconds: number | undefined) => (seconds === undefined ? null : Math.round((seconds / 3600) * 10) / 10);

/** p50 / p90 / p99 of the lag of each bucket's released updates that are published, overall or for one severity. */
export function LagChart({ history }: { history: MirrorHistoryResponse }) {
  const selectId = useId();
  const [severity, setSeverity] = useState(ALL_SEVERITIES);
  const { buckets, bucket, mirror } = history;
  const present = new Set(buckets.flatMap((entry) => entry.lagBySeverity.map((lag) => lag.severity ?? NO_SEVERITY)));
  const severityOptions = [...SEVERITIES.filter((name) => present.has(name)).reverse(), ...(present.has(NO_SEVERITY) ? [NO_SEVERITY] : [])];
  const data = buckets.map((entry) => {
    const lag = selectLag(entry, severity);
    return {
      label: formatBucketLabel(entry.startAt, bucket),
      p50: toHours(lag?.p50Seconds),
      p90: toHours(lag?.p90Seconds),
      p99: toHours(lag?.p99Seconds),
    };
  });
  const hasLag = data.some((entry) => entry.p50 !== null);
  const severityName =
    severity === ALL_SEVERITIES ? "all severities" : severity === NO_SEVERITY ? "no severity (bug fix, enhancement)" : severity;

  return (
    <section aria-labelledby="lag-heading" className="space-y-2">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <h2 id="lag-heading" className="text-lg font-semibold">
          Lag distribution
        </h2>
        <div className="flex flex-col gap-1">
          <label htmlFor={selectId} className="text-xs font-semibold uppercase tracking-wide text-zinc-600 dark:text-zinc-400">
            Severity
          </label>
          <select
            id={selectId}
            value={severity}
            onChange={(event) => setSeverity(event.target.value)}
            className="rounded border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900"
          >
            <option value={ALL_SEVERITIES}>All severities</option>
            {severityOptions.map((name) => (
              <option key={name} value={name}>
                {name === NO_SEVERITY ? "No severity" : name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <figure className="space-y-3">
        <figcaption className="text-sm">{describeLag(history)}</figcaption>
        {hasLag ? (
          <div aria-hidden="true" className={`${chartColorClasses} text-xs`}>
            <LineChart
              responsive
              style={{ width: "100%", height: 260 }}
              data={data}
              margin={{ top: 8, right: 8, bottom: 0, left: -8 }}
              accessibilityLayer={false}
            >
              <CartesianGrid stroke="var(--chart-grid)" vertical={false} />
              <XAxis dataKey="label" tick={{ fill: "currentColor" }} stroke="currentColor" interval="preserveStartEnd" minTickGap={12} />
              <YAxis tick={{ fill: "currentColor" }} stroke="currentColor" tickFormatter={(hours: number) => `${hours} h`} />
              <Tooltip
                {...tooltipStyle}
                itemSorter={keepSeriesOrder}
                formatter={(hours) => (typeof hours === "number" ? formatDuration(hours * 3600) : "—")}
              />
              <Legend
                wrapperStyle={{ color: "inherit" }}
                itemSorter={keepSeriesOrder}
                formatter={(value) => <span className="text-zinc-700 dark:text-zinc-300">{value}</span>}
              />
              {LINES.map((line) => (
                <Line
                  key={line.key}
                  dataKey={line.key}
                  name={line.name}
                  stroke={line.stroke}
                  strokeDasharray={line.dash}
                  strokeWidth={2}
                  dot={{ r: 3, fill: line.stroke }}
                  isAnimationActive={false}
                  connectNulls={false}
                />
              ))}
            </LineChart>
          </div>
        ) : (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">No published update for {severityName} in this range.</p>
        )}
        <details className="text-sm">
          <summary className="cursor-pointer text-sky-700 underline dark:text-sky-400">Show the numbers</summary>
          <div className="mt-2">
            <Table caption={`Lag percentiles on ${mirror.name} per ${bucket}, ${severityName}`} isCaptionVisible={false}>
              <thead>
                <tr>
                  <th scope="col" className={thClass}>
                    {bucket === "month" ? "Month" : "Week of"}
                  </th>
                  <th scope="col" className={`${thClass} text-right`}>
                    Published
                  </th>
                  <th scope="col" className={`${thClass} text-right`}>
                    p50
                  </th>
                  <th scope="col" className={`${thClass} text-right`}>
                    p90
                  </th>
                  <th scope="col" className={`${thClass} text-right`}>
                    p99
                  </th>
                </tr>
              </thead>
              <tbody>
                {buckets.map((entry) => {
                  const lag = selectLag(entry, severity);
                  const cell = (seconds: number | undefined) => (seconds === undefined ? "—" : formatDuration(seconds));
                  return (
                    <tr key={entry.startAt}>
                      <th scope="row" className={`${rowThClass} whitespace-nowrap tabular-nums`}>
                        {formatBucketLabel(entry.startAt, bucket)}
                      </th>
                      <td className={`${tdClass} text-right tabular-nums`}>{lag?.count ?? 0}</td>
                      <td className={`${tdClass} whitespace-nowrap text-right tabular-nums`}>{cell(lag?.p50Seconds)}</td>
                      <td className={`${tdClass} whitespace-nowrap text-right tabular-nums`}>{cell(lag?.p90Seconds)}</td>
                      <td className={`${tdClass} whitespace-nowrap text-right tabular-nums`}>{cell(lag?.p99Seconds)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </Table>
          </div>
        </details>
      </figure>
    </section>
  );
}
