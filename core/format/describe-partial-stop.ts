import type { AlertDetails } from "../alerts/types";
import { formatDuration } from "./format-duration";

/**
 * How every renderer (alert page, mail, digest, webhooks, Atom feed) words a partial stop. The numbers are the
 * rule's own (`AlertDetails.partialStop`, computed once when the alert was evaluated): nothing here recounts them.
 */
export type PartialStopNumbers = NonNullable<AlertDetails["partialStop"]>;

const plural = (count: number, word: string) => `${word}${count === 1 ? "" : "s"}`;

/** "published 4 of the last 20 RHEL 8 updates (normally 19 of 20)" */
export function describePartialStopShare(partialStop: PartialStopNumbers, major: number | null): string {
  const { windowSize, publishedInWindow, baselineSize, publishedInBaseline } = partialStop;
  const updates = `${major === null ? "RHEL" : `RHEL ${major}`} ${plural(windowSize, "update")}`;
  const normally = baselineSize > 0 ? ` (normally ${publishedInBaseline} of ${baselineSize})` : "";
  return `published ${publishedInWindow} of the last ${windowSize} ${updates}${normally}`;
}

/** "OpenELA published 4 of the last 20 RHEL 8 updates (normally 19 of 20)." */
export function describePartialStopSentence(mirrorName: string, partialStop: PartialStopNumbers, major: number | null): string {
  return `${mirrorName} ${describePartialStopShare(partialStop, major)}.`;
}

/** The mirror's normal lag as every renderer shows it: "9 h", "1 d 7 h". */
export function formatPartialStopLag(partialStop: PartialStopNumbers): string {
  return formatDuration(partialStop.normalLagHours * 3600);
}

/** What decides the window: "Counted: the last 20 updates older than the mirror's normal lag (1 d 7 h), against the 20 before them." */
export function describePartialStopWindow(partialStop: PartialStopNumbers): string {
  return (
    `Counted: the last ${partialStop.windowSize} ${plural(partialStop.windowSize, "update")} older than the mirror's normal lag (${formatPartialStopLag(partialStop)}), ` +
    `against the ${partialStop.baselineSize} before them.`
  );
}

/** The first `max` names and how many were left out. */
export function capNames(names: readonly string[], max: number): { shown: string[]; more: number } {
  const shown = names.slice(0, Math.max(0, max));
  return { shown, more: names.length - shown.length };
}

/** "bash, curl, openssl +5 more" (or every name when `max` is Infinity); "none" for an empty list. */
export function joinNames(names: readonly string[], max = Number.POSITIVE_INFINITY): string {
  if (names.length === 0) return "none";
  const { shown, more } = capNames(names, max);
  return `${shown.join(", ")}${more > 0 ? ` +${more} more` : ""}`;
}
