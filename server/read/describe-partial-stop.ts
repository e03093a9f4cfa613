import type { AlertDetails } from "../../core/alerts/types";
import { formatHours } from "../notifications/format-notification-values";
import { AlertPartialStopDto } from "../../contract/alert-dto";

/**
 * How every renderer (alert page, mail, digest, webhooks, Atom feed) words a partial stop. The numbers are the
 * rule's own (`AlertDetails.partialStop`, computed once when the alert was evaluated): nothing here recounts them.
 */
export type PartialStopNumbers = NonNullable<AlertDetails["partialStop"]>;

/**
 * The partial-stop numbers as the rule stored them (Alert.details / AlertEvent.details), or null: evidence whose numbers
 * do not hold together (more published than counted, no package lists) reads as none rather than as wrong numbers.
 */
export function readPartialStop(value: unknown): PartialStopNumbers | null {
  if (value === undefined || value === null) return null;
  const parsed = AlertPartialStopDto.safeParse(value);
  return parsed.success ? parsed.data : null;
}

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

/** The mirror's normal lag as every renderer shows it: "31 h", "3 d 3 h". */
export function formatPartialStopLag(partialStop: PartialStopNumbers): string {
  return formatHours(partialStop.normalLagHours);
}

/** What decides the window: "Counted: updates older than the mirror's normal lag (31 h), which should be there by now." */
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
