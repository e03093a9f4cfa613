import { formatDuration } from "@/components/ui/format-duration";
import { formatDate, formatInstant } from "@/core/format-instant";
import type { LagPercentiles, MirrorHistoryResponse, PollCoverageDto } from "@/server/read/mirror-history-dto";

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** "2023-06-12" for the week starting that Monday, "2023-06" for a month. */
export function formatBucketLabel(startAt: string, bucket: MirrorHistoryResponse["bucket"]): string {
  return bucket === "month" ? startAt.slice(0, 7) : formatDate(startAt);
}

/** The publish-rate chart in one sentence: the stop when there is one, else how much of what was released is out. */
export function describePublishing(history: Pick<MirrorHistoryResponse, "mirror" | "buckets" | "publishingStop">): string {
  const { mirror, buckets, publishingStop: stop } = history;
  if (stop.stoppedAt) {
    return (
      `${mirror.name} stopped publishing: it published 0 of the ${plural(stop.releasedSinceCount, "RHEL update")} released ` +
      `since its last publication on ${formatInstant(stop.stoppedAt)}.`
    );
  }
  const released = buckets.reduce((sum, bucket) => sum + bucket.released, 0);
  if (released === 0) return `No RHEL update that ${mirror.name} carries has been tracked yet.`;
  const published = buckets.reduce((sum, bucket) => sum + bucket.releasedPublished, 0);
  const open = released - published;
  const last = stop.lastPublishedAt ? ` Its last publication: ${formatInstant(stop.lastPublishedAt)}.` : "";
  return (
    `${mirror.name} has published ${published} of the ${plural(released, "RHEL update")} it carries released since ` +
    `${formatDate(buckets[0].startAt)}; ${open === 1 ? "1 is" : `${open} are`} still open.${last}`
  );
}

export function describeLagPercentiles(lag: LagPercentiles): string {
  return `p50 ${formatDuration(lag.p50Seconds)}, p90 ${formatDuration(lag.p90Seconds)}, p99 ${formatDuration(lag.p99Seconds)} over ${plural(lag.count, "update")}`;
}

/** The lag chart in one sentence: the latest bucket that has a lag. */
export function describeLag(history: Pick<MirrorHistoryResponse, "mirror" | "buckets" | "bucket">): string {
  const latest = history.buckets.findLast((bucket) => bucket.lag !== null);
  if (!latest?.lag) return `No update released in this range has been published on ${history.mirror.name} yet, so there is no lag to show.`;
  const when = history.bucket === "month" ? `in ${formatBucketLabel(latest.startAt, "month")}` : `in the week of ${formatDate(latest.startAt)}`;
  return `Lag of the updates released ${when} (the latest with a publication): ${describeLagPercentiles(latest.lag)}.`;
}

const COVERAGE_UNITS = { hour: "hour", day: "day" } as const;

/** "Last 30 days: 5 days with a successful poll, 1 with failed polls only, 24 without any poll (no data)." */
export function describePollCoverage(coverage: PollCoverageDto): string {
  const count = (status: string) => coverage.cells.filter((cell) => cell.status === status).length;
  const unit = COVERAGE_UNITS[coverage.unit];
  return (
    `Last ${plural(coverage.cells.length, unit)}: ${plural(count("ok"), unit)} with a successful poll, ` +
    `${count("failing")} with failed polls only, ${count("gap")} without any poll (no data).`
  );
}
