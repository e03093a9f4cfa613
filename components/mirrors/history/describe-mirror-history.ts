import { plural } from "@/core/format/plural";
import { formatDuration } from "@/core/format/format-duration";
import { formatDate, formatInstant } from "@/core/format/format-instant";
import type {
  LagPercentiles,
  MajorPublishingDto,
  MirrorHistoryResponse,
  NormalLagDto,
  PollCoverageDto,
  PublishingShareDto,
} from "@/contract/mirror-history-dto";

/** "2023-06-12" for the week starting that Monday, "2023-06" for a month. */
export function formatBucketLabel(startAt: string, bucket: MirrorHistoryResponse["bucket"]): string {
  return bucket === "month" ? startAt.slice(0, 7) : formatDate(startAt);
}

/** "RHEL 8" or "RHEL 8 and 9" or "RHEL 7, 8 and 9". */
export function listMajors(majors: readonly number[]): string {
  return majors.length <= 1 ? `RHEL ${majors.join("")}` : `RHEL ${majors.slice(0, -1).join(", ")} and ${majors[majors.length - 1]}`;
}

/** The publish-rate chart in a sentence per stopped major, else how much of what was released is out. */
export function describePublishing(history: Pick<MirrorHistoryResponse, "mirror" | "buckets" | "publishing">): string {
  const { mirror, buckets, publishing } = history;
  const stopped = publishing.majors.filter((entry) => entry.stop.stoppedAt !== null);
  if (stopped.length > 0) {
    return stopped
      .map(
        ({ major, stop }) =>
          `${mirror.name} stopped publishing RHEL ${major}: it published 0 of the ${plural(stop.releasedSinceCount, `RHEL ${major} update`)} released ` +
          `since its last publication on ${formatInstant(stop.stoppedAt!)}.`,
      )
      .join(" ");
  }
  const released = buckets.reduce((sum, bucket) => sum + bucket.released, 0);
  if (released === 0) return `No RHEL update that ${mirror.name} carries has been tracked yet.`;
  const published = buckets.reduce((sum, bucket) => sum + bucket.releasedPublished, 0);
  const open = released - published;
  const lastPublishedAt = publishing.majors.reduce<string | null>((last, entry) => {
    const at = entry.stop.lastPublishedAt;
    return at !== null && (last === null || at > last) ? at : last;
  }, null);
  const last = lastPublishedAt ? ` Its last publication: ${formatInstant(lastPublishedAt)}.` : "";
  return (
    `${mirror.name} has published ${published} of the ${plural(released, "RHEL update")} it carries released since ` +
    `${formatDate(buckets[0].startAt)}; ${open === 1 ? "1 is" : `${open} are`} still open.${last}`
  );
}

/** "Its normal lag is 6 h: the p95 of the lags of the 31 updates it published recently." */
export function describeNormalLag(mirrorName: string, normalLag: NormalLagDto): string {
  const hours = formatDuration(normalLag.hours * 3600);
  if (normalLag.source === "learned") {
    return `${mirrorName}'s normal lag is ${hours}: the p${normalLag.percentile} of the lags of the ${plural(normalLag.historySize, "update")} it published recently.`;
  }
  return (
    `${mirrorName}'s normal lag is ${hours}, as configured: ${normalLag.historySize === 0 ? "no update" : plural(normalLag.historySize, "update")} ` +
    `published recently is too few to learn its own p${normalLag.percentile} from.`
  );
}

export type MajorPublishingState = "stopped" | "partial" | "publishing" | "unknown";

/** One major's publishing in words: the same numbers as its publishing_stopped / partial_stop alert. */
export function describeMajorPublishing(
  entry: MajorPublishingDto,
  normalLag: NormalLagDto,
): { state: MajorPublishingState; headline: string; details: string[] } {
  const { major, stop, share, partialStop } = entry;
  const lag = formatDuration(normalLag.hours * 3600);
  const shareText = (value: PublishingShareDto) =>
    `published ${value.publishedInWindow} of the last ${plural(value.windowSize, "update")} due by now (normally ${value.publishedInBaseline} of ${value.baselineSize})`;
  if (stop.stoppedAt) {
    return {
      state: "stopped",
      headline: `RHEL ${major}: stopped publishing — nothing since ${formatInstant(stop.stoppedAt)}`,
      details: [
        `${plural(stop.releasedSinceCount, "update")} released since, none published; ${stop.overdueSinceCount} of them older than the normal lag of ${lag} ` +
          `(${stop.minOverdueUpdates} overdue mean stopped).`,
      ],
    };
  }
  if (partialStop) {
    return {
      state: "partial",
      headline: `RHEL ${major}: stopped some packages — ${shareText(partialStop)}`,
      details: [
        partialStop.stoppedPackages.length > 0
          ? `Stopped (${partialStop.stoppedPackages.length}): ${partialStop.stoppedPackages.join(", ")}.`
          : "No package stopped entirely: each unpublished one still came in another update.",
        partialStop.keptPackages.length > 0
          ? `Still published (${partialStop.keptPackages.length}): ${partialStop.keptPackages.join(", ")}.`
          : "Nothing published in the window.",
      ],
    };
  }
  const last = stop.lastPublishedAt ? `last publication ${formatInstant(stop.lastPublishedAt)}` : "nothing published yet";
  if (!stop.lastPublishedAt && !share) return { state: "unknown", headline: `RHEL ${major}: nothing published yet`, details: [] };
  return { state: "publishing", headline: `RHEL ${major}: publishing — ${share ? `${shareText(share)}; ` : ""}${last}`, details: [] };
}

export function describeLagPercentiles(lag: LagPercentiles): string {
  return `p50 ${formatDuration(lag.p50Seconds)}, p90 ${formatDuration(lag.p90Seconds)}, p99 ${formatDuration(lag.p99Seconds)} over ${plural(lag.count, "update")}`;
}

/** The lag chart in one sentence: the latest bucket that has a lag. */
export function describeLag(history: Pick<MirrorHistoryResponse, "mirror" | "buckets" | "bucket">): string {
  const latest = history.buckets.findLast((bucket) => bucket.lag !== null);
  if (!latest?.lag) return `No update released in this range has been published on ${history.mirror.name} yet, so there is no lag to show.`;
  const when =
    history.bucket === "month" ? `in ${formatBucketLabel(latest.startAt, "month")}` : `in the week of ${formatDate(latest.startAt)}`;
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
