"use client";

import { Bar, BarChart, CartesianGrid, Legend, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { Table, rowThClass, tdClass, thClass } from "@/components/ui/table";
import { formatDate } from "@/core/format/format-instant";
import { floorToBucket } from "@/core/time-buckets";
import type { MirrorHistoryResponse } from "@/contract/mirror-history-dto";
import { chartColorClasses, keepSeriesOrder, tooltipStyle } from "./chart-colors";
import { describePublishing, formatBucketLabel, listMajors } from "./describe-mirror-history";

/** One marked line per bucket in which majors stopped: "RHEL 8 stopped 2023-06-05", "RHEL 8 and 9 stopped 2023-06-05". */
function listStopLines(history: MirrorHistoryResponse): { x: string; label: string }[] {
  const byBucket = new Map<string, { majors: number[]; firstAt: string }>();
  for (const { major, stop } of history.publishing.majors) {
    if (!stop.stoppedAt) continue;
    const x = formatBucketLabel(floorToBucket(new Date(stop.stoppedAt), history.bucket).toISOString(), history.bucket);
    const line = byBucket.get(x) ?? { majors: [], firstAt: stop.stoppedAt };
    line.majors.push(major);
    if (stop.stoppedAt < line.firstAt) line.firstAt = stop.stoppedAt;
    byBucket.set(x, line);
  }
  return [...byBucket.entries()].map(([x, line]) => ({ x, label: `${listMajors(line.majors)} stopped ${formatDate(line.firstAt)}` }));
}

/** Carried updates released upstream per bucket against the ones the mirror published, with each major's stop marked. */
export function PublishRateChart({ history }: { history: MirrorHistoryResponse }) {
  const { buckets, bucket, mirror } = history;
  const data = buckets.map((entry) => ({
    label: formatBucketLabel(entry.startAt, bucket),
    released: entry.released,
    published: entry.published,
  }));
  const stopLines = listStopLines(history);
  const summary = describePublishing(history);
  const unit = bucket === "month" ? "Month" : "Week of";

  return (
    <section aria-labelledby="publish-rate-heading" className="space-y-2">
      <h2 id="publish-rate-heading" className="text-lg font-semibold">
        Publish rate
      </h2>
      <figure className="space-y-3">
        <figcaption className={stopLines.length > 0 ? "font-medium text-red-800 dark:text-red-300" : "text-sm"}>{summary}</figcaption>
        {data.length > 0 ? (
          <div aria-hidden="true" className={`${chartColorClasses} text-xs`}>
            <BarChart
              responsive
              style={{ width: "100%", height: 280 }}
              data={data}
              margin={{ top: 24, right: 8, bottom: 0, left: -16 }}
              accessibilityLayer={false}
            >
              <CartesianGrid stroke="var(--chart-grid)" vertical={false} />
              <XAxis dataKey="label" tick={{ fill: "currentColor" }} stroke="currentColor" interval="preserveStartEnd" minTickGap={12} />
              <YAxis allowDecimals={false} tick={{ fill: "currentColor" }} stroke="currentColor" />
              <Tooltip {...tooltipStyle} itemSorter={keepSeriesOrder} cursor={{ fill: "var(--chart-grid)" }} />
              <Legend
                wrapperStyle={{ color: "inherit" }}
                itemSorter={keepSeriesOrder}
                formatter={(value) => <span className="text-zinc-700 dark:text-zinc-300">{value}</span>}
              />
              <Bar dataKey="released" name="Released upstream (carried)" fill="var(--chart-released)" isAnimationActive={false} />
              <Bar dataKey="published" name={`Published by ${mirror.name}`} fill="var(--chart-published)" isAnimationActive={false} />
              {stopLines.map((line, index) => (
                <ReferenceLine
                  key={line.x}
                  x={line.x}
                  stroke="var(--chart-stop)"
                  strokeWidth={2}
                  strokeDasharray="4 3"
                  // Lines weeks apart would print their labels over each other: one text row per line.
                  label={{
                    value: line.label,
                    position: "insideTopRight",
                    offset: 6 + index * 16,
                    fill: "var(--chart-stop)",
                    fontWeight: 600,
                  }}
                />
              ))}
            </BarChart>
          </div>
        ) : null}
        {data.length > 0 ? (
          <details className="text-sm">
            <summary className="cursor-pointer text-sky-700 underline dark:text-sky-400">Show the numbers</summary>
            <div className="mt-2">
              <Table caption={`Carried RHEL updates released and published on ${mirror.name} per ${bucket}`} isCaptionVisible={false}>
                <thead>
                  <tr>
                    <th scope="col" className={thClass}>
                      {unit}
                    </th>
                    <th scope="col" className={`${thClass} text-right`}>
                      Released
                    </th>
                    <th scope="col" className={`${thClass} text-right`}>
                      Of those published
                    </th>
                    <th scope="col" className={`${thClass} text-right`}>
                      Of those open
                    </th>
                    <th scope="col" className={`${thClass} text-right`}>
                      Published in the {bucket}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {buckets.map((entry) => (
                    <tr key={entry.startAt}>
                      <th scope="row" className={`${rowThClass} whitespace-nowrap tabular-nums`}>
                        {formatBucketLabel(entry.startAt, bucket)}
                      </th>
                      <td className={`${tdClass} text-right tabular-nums`}>{entry.released}</td>
                      <td className={`${tdClass} text-right tabular-nums`}>{entry.releasedPublished}</td>
                      <td className={`${tdClass} text-right tabular-nums`}>{entry.releasedOpen}</td>
                      <td className={`${tdClass} text-right tabular-nums`}>{entry.published}</td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            </div>
          </details>
        ) : null}
      </figure>
    </section>
  );
}
