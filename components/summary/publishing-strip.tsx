import Link from "next/link";
import type { MirrorPublishingStrip } from "@/contract/summary-dto";
import { formatDate } from "@/core/format/format-instant";
import { plural } from "@/core/format/plural";

const BAR = 2;
const STEP = 3;
const HEIGHT = 20;
/** Drawn at two thirds of its coordinates: 90 days in 180 px, narrow enough for the overview's table. */
const SCALE = 2 / 3;

/** "37 updates published in the last 90 days, the last on 2023-06-05; 12 days without our polling". */
export function describePublishingStrip(strip: MirrorPublishingStrip): string {
  const known = strip.days.filter((count): count is number => count !== null);
  const total = known.reduce((sum, count) => sum + count, 0);
  const gaps = strip.days.length - known.length;
  const last = strip.lastPublishedAt
    ? `, the last ${strip.isLastPublishedLowerBound ? "after" : "on"} ${formatDate(strip.lastPublishedAt)}`
    : ", none ever";
  return `${plural(total, "update")} published in the last ${strip.days.length} days${last}${gaps > 0 ? `; ${plural(gaps, "day")} without our polling` : ""}`;
}

/** The outlines of the day marks: a 1-unit dot per day without publications, a bar per day with some; none for gaps. */
export function buildStripPath(days: readonly (number | null)[], max: number): { idle: string; bars: string } {
  let idle = "";
  let bars = "";
  days.forEach((count, index) => {
    const x = index * STEP;
    if (count === null) return;
    if (count === 0) {
      idle += `M${x} ${HEIGHT - 1}h${BAR}v1h-${BAR}z`;
      return;
    }
    const height = Math.max(3, Math.round((count / max) * HEIGHT));
    bars += `M${x} ${HEIGHT - height}h${BAR}v${height}h-${BAR}z`;
  });
  return { idle, bars };
}

/**
 * Publishing over the last 90 days, a bar a day (Statuspage style, for publishing): the height is the day's
 * publications, a dot a day with none, nothing where we were not polling. Red once the mirror stopped.
 */
export function PublishingStrip({ strip }: { strip: MirrorPublishingStrip }) {
  const max = Math.max(1, ...strip.days.map((count) => count ?? 0));
  const width = strip.days.length * STEP;
  const description = describePublishingStrip(strip);
  const { idle, bars } = buildStripPath(strip.days, max);
  return (
    <svg
      role="img"
      aria-label={description}
      viewBox={`0 0 ${width} ${HEIGHT}`}
      width={Math.round(width * SCALE)}
      height={HEIGHT}
      preserveAspectRatio="none"
      className={`block ${strip.stoppedSince ? "text-red-600 dark:text-red-400" : "text-emerald-600 dark:text-emerald-400"}`}
    >
      <title>{description}</title>
      {/* Two paths, not a rect a day: 90 elements per row were most of the overview's HTML and its RSC payload. */}
      {idle && <path d={idle} className="fill-zinc-300 dark:fill-zinc-600" />}
      {bars && <path d={bars} fill="currentColor" />}
    </svg>
  );
}

/** The strip with the last publication under it, and the stop's date in red when one fires. */
export function PublishingCell({ strip }: { strip: MirrorPublishingStrip }) {
  return (
    <div className="space-y-0.5">
      <PublishingStrip strip={strip} />
      <p className="whitespace-nowrap text-xs">
        {strip.stoppedSince && strip.stopAlertId !== null ? (
          <Link href={`/alerts/${strip.stopAlertId}`} className="font-semibold text-red-700 underline dark:text-red-300">
            stopped: nothing since {formatDate(strip.stoppedSince)}
          </Link>
        ) : (
          <span className="text-zinc-600 dark:text-zinc-400">
            {/* A lower bound: the mirror had it when we first looked, published some time after its release. */}
            last published{" "}
            {strip.lastPublishedAt ? `${strip.isLastPublishedLowerBound ? "after " : ""}${formatDate(strip.lastPublishedAt)}` : "never"}
          </span>
        )}
      </p>
    </div>
  );
}
