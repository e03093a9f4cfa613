import { formatDuration } from "../format/format-duration";
import { formatInstant } from "../format/format-instant";
import { plural } from "../format/plural";
import type { AlertDetails, AlertItem, AlertKind } from "./types";

/**
 * An alert's one-line conclusion, computed from the evidence it is about and nothing else. The rules store it as the
 * alert's summary; the mail, the feed, the webhooks, the page and the API compute it again from the details of the
 * event they tell (or of the alert as it stands), so a headline never quotes other numbers than its own body.
 */

/** Stopped package names a partial_stop's summary names before "… (+N more)"; the details list them all. */
const SUMMARY_PACKAGE_NAMES = 8;

/** "bash, curl, glibc" — at most SUMMARY_PACKAGE_NAMES names, then "… (+N more)". */
function listNames(names: readonly string[]): string {
  if (names.length <= SUMMARY_PACKAGE_NAMES) return names.join(", ");
  return `${names.slice(0, SUMMARY_PACKAGE_NAMES).join(", ")}, … (+${names.length - SUMMARY_PACKAGE_NAMES} more)`;
}

/** "OpenELA published 4 of the last 20 RHEL 8 updates (normally 19 of 20); these packages stopped: bash, curl, … (+3 more)" */
export function summarizePartialStop(mirrorName: string, major: number, partialStop: NonNullable<AlertDetails["partialStop"]>): string {
  const head =
    `${mirrorName} published ${partialStop.publishedInWindow} of the last ${plural(partialStop.windowSize, `RHEL ${major} update`)} ` +
    `(normally ${partialStop.publishedInBaseline} of ${partialStop.baselineSize})`;
  return partialStop.stoppedPackages.length > 0 ? `${head}; these packages stopped: ${listNames(partialStop.stoppedPackages)}` : head;
}

/** Numbers that hold together (the API's AlertPartialStopDto says the same): others are not quoted as a conclusion. */
function isPartialStopCoherent(partialStop: AlertDetails["partialStop"]): partialStop is NonNullable<AlertDetails["partialStop"]> {
  return (
    partialStop !== undefined &&
    Array.isArray(partialStop.stoppedPackages) &&
    Array.isArray(partialStop.keptPackages) &&
    partialStop.windowSize >= 1 &&
    partialStop.publishedInWindow <= partialStop.windowSize &&
    partialStop.publishedInBaseline <= partialStop.baselineSize
  );
}

/** The stop's date as every channel names it: the day of the mirror's last publication for the major. */
export function formatStopDate(stop: NonNullable<AlertDetails["stop"]>): string {
  return stop.lastPublishedAt.slice(0, 10);
}

/**
 * The conclusion of an alert with these details, or null when the details lack the evidence its kind needs (stored by
 * an older version): the caller falls back to the summary stored with the alert. The alert's own mirror name and major
 * stand in for details that lack them.
 */
export function summarizeAlert(alert: { kind: AlertKind; mirrorName: string; major: number | null }, details: AlertDetails): string | null {
  const mirror = details.mirrorName || alert.mirrorName;
  const major = details.major ?? alert.major;
  switch (alert.kind) {
    case "publishing_stopped":
      if (!details.stop || major === null) return null;
      return `${mirror} stopped publishing RHEL ${major}: nothing since ${formatStopDate(details.stop)}, ${plural(details.stop.overdueSinceCount, "update")} overdue`;
    case "partial_stop":
      if (!isPartialStopCoherent(details.partialStop) || major === null) return null;
      return summarizePartialStop(mirror, major, details.partialStop);
    case "mirror_stale":
      if (!details.stale) return null;
      return `${mirror}: no successful poll ${details.stale.lastSuccessAt ? `since ${formatInstant(details.stale.lastSuccessAt)}` : "ever"}`;
    case "update_missing":
    case "update_delayed":
      if (major === null) return null;
      return `${mirror}: ${plural(details.items.length, `RHEL ${major} update`)} ${alert.kind === "update_missing" ? "missing" : "delayed"}`;
  }
}

/** One other mirror that published some of an alert's updates. */
export interface PublishedElsewhere {
  mirrorId: string;
  mirrorName: string;
  /** How many of the alert's updates it published. */
  count: number;
}

/**
 * The other mirrors that already published the alert's updates, most first (then by name), with how many of them; null
 * when the items do not say (stored before srcwatch looked elsewhere). The most convincing evidence of a stop: the same
 * updates are out there.
 */
export function listPublishedElsewhere(items: readonly Pick<AlertItem, "publishedOn">[]): PublishedElsewhere[] | null {
  if (items.length === 0 || items.some((item) => item.publishedOn === undefined)) return null;
  const byMirror = new Map<string, PublishedElsewhere>();
  for (const item of items) {
    for (const mirror of item.publishedOn ?? []) {
      const entry = byMirror.get(mirror.mirrorId) ?? { mirrorId: mirror.mirrorId, mirrorName: mirror.mirrorName, count: 0 };
      entry.count++;
      byMirror.set(mirror.mirrorId, entry);
    }
  }
  return [...byMirror.values()].sort(
    (a, b) => b.count - a.count || (a.mirrorName < b.mirrorName ? -1 : a.mirrorName > b.mirrorName ? 1 : 0),
  );
}

/**
 * "Already published on AlmaLinux (7 of 7), Rocky Linux (7 of 7) and Oracle Linux (6 of 7)." — or that no other mirror
 * we watch has them; null when the items do not say.
 */
export function describePublishedElsewhere(items: readonly Pick<AlertItem, "publishedOn">[]): string | null {
  return describePublishedElsewhereList(listPublishedElsewhere(items), items.length);
}

/** The same sentence from listPublishedElsewhere's answer and the number of items it was computed over. */
export function describePublishedElsewhereList(elsewhere: readonly PublishedElsewhere[] | null, total: number): string | null {
  if (elsewhere === null || total === 0) return null;
  if (elsewhere.length === 0) return `No other mirror we watch has published ${total === 1 ? "it" : "them"} either.`;
  const names = elsewhere.map((mirror) => `${mirror.mirrorName} (${mirror.count} of ${total})`);
  const joined = names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
  return `Already published on ${joined}.`;
}

type StopNumbers = NonNullable<AlertDetails["stop"]>;

/** "4 h 12 min (the p95 of its last 60 publications)": the normal lag and the sample it was learned from, in every channel. */
export function describeStopNormalLag(stop: StopNumbers): string {
  const how =
    stop.normalLagSource === "learned"
      ? `the p${stop.percentile} of its last ${plural(stop.historySize, "publication")}`
      : `configured: only ${plural(stop.historySize, "publication")} to learn from`;
  return `${formatDuration(stop.normalLagHours * 3600)} (${how})`;
}

/** "9 updates, 7 past the normal lag, none published". */
export function describeStopReleasedSince(stop: StopNumbers): string {
  return `${plural(stop.releasedSinceCount, "update")}, ${stop.overdueSinceCount} past the normal lag, none published`;
}
