import { formatDuration } from "@/core/format/format-duration";
import { formatInstant } from "@/core/format/format-instant";
import type { PublicationTimeOrigin } from "@/core/types";
import type { LagTimeOrigin } from "@/contract/verdict-dto";

const TIME_ORIGIN_LABELS: Record<PublicationTimeOrigin | LagTimeOrigin, string> = {
  tagger_date: "tag date",
  commit_date: "commit date",
  forge_api: "forge API",
  erratum_date: "erratum date",
  index_date: "index date",
  mirror: "mirror's own time",
  first_seen: "first seen by srcwatch",
  before_tracking: "published before tracking",
};

/** Where a time came from, in plain words: "tag date", "first seen by srcwatch"… */
export function describeTimeOrigin(origin: PublicationTimeOrigin | LagTimeOrigin | null): string {
  return origin === null ? "source of time unknown" : TIME_ORIGIN_LABELS[origin];
}

export const SUSPECT_TIME_NOTE = "the mirror's own time was not believable (after we first saw the build, or long before the release)";

/** A published verdict's lag as the server stores it (PackageVerdictDto, PackageVerdictSummary, AdvisoryMirrorStatus…). */
export interface LagView {
  lagSeconds: number | null;
  lagTimeOrigin: LagTimeOrigin | null;
  lagPrecisionSeconds: number | null;
  isTimeSuspect?: boolean;
  /** When srcwatch first saw the lag build, when known. */
  firstSeenAt?: string | null;
}

/**
 * The lag at a glance: "6 h" (the mirror's own time), "≤ 6 h" (our first sight: an upper bound), "before tracking"
 * (there when we first looked: no lag). null when there is nothing to show (not published).
 */
export function formatLag(view: LagView): string | null {
  if (view.lagTimeOrigin === "before_tracking") return "before tracking";
  if (view.lagSeconds === null) return view.lagTimeOrigin === null ? null : "lag unknown";
  return view.lagTimeOrigin === "first_seen" ? `≤ ${formatDuration(view.lagSeconds)}` : formatDuration(view.lagSeconds);
}

/** The short line under a lag: where its time came from, and for an upper bound how precise it is. */
export function describeLagOrigin(view: LagView): string {
  switch (view.lagTimeOrigin) {
    case "before_tracking":
      return "no lag: there at srcwatch's first look";
    case "first_seen":
      return view.lagPrecisionSeconds === null
        ? "upper bound: first seen by a poll"
        : `upper bound: first seen by a poll; absent ${formatDuration(view.lagPrecisionSeconds)} earlier`;
    default:
      return describeTimeOrigin(view.lagTimeOrigin);
  }
}

/** The tooltip of a lag: what the number means, in full. */
export function explainLag(view: LagView): string | undefined {
  const firstSeen = view.firstSeenAt ? ` (first seen ${formatInstant(view.firstSeenAt)})` : "";
  const doubted = view.isTimeSuspect ? ` The mirror gave a time, but ${SUSPECT_TIME_NOTE}.` : "";
  switch (view.lagTimeOrigin) {
    case null:
      return undefined;
    case "before_tracking":
      return (
        `Published before tracking: the build was already there when srcwatch first looked at this mirror${firstSeen}, and the mirror gives ` +
        `no time of its own${view.isTimeSuspect ? " that can be believed" : ""}. There is no lag, and it is left out of lag statistics.`
      );
    case "first_seen":
      return (
        `An upper bound: srcwatch first saw the build${firstSeen}` +
        (view.lagPrecisionSeconds === null
          ? "."
          : `, and the poll ${formatDuration(view.lagPrecisionSeconds)} earlier did not find it: it reached the mirror within that window.`) +
        doubted
      );
    default:
      return `Measured to the mirror's own time (${describeTimeOrigin(view.lagTimeOrigin)}).`;
  }
}
