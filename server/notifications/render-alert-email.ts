import "server-only";

import { ALERT_KIND_LABELS, type AlertDetails, type AlertEventType, type AlertItem, type AlertKind } from "../../core/alerts/types";
import type { SubscriptionLinks } from "../subscriptions/subscription-tokens";
import { buildListHeaders } from "./build-list-headers";
import { formatDuration } from "../../core/format/format-duration";
import { formatDate, formatInstant } from "../../core/format/format-instant";
import { trimOrigin } from "./format-notification-values";
import type { RenderedEmail } from "./rendered-email";
import { capItems, renderMailHtml, renderMailText, type MailLine, type MailSection } from "./render-mail-sections";
import { toHeaderValue } from "./to-header-value";
import {
  describePartialStopSentence,
  describePartialStopWindow,
  formatPartialStopLag,
  joinNames,
} from "../../core/format/describe-partial-stop";
import { readPartialStop } from "../read/read-partial-stop";
import {
  describePublishedElsewhere,
  describeStopNormalLag,
  describeStopReleasedSince,
  summarizeAlert,
} from "../../core/alerts/summarize-alert";
import { rankSeverity } from "../../core/alert-kinds";

/** Updates an alert mail lists (the most severe, then the newest); the rest are one "and N more" link away. */
export const MAIL_LISTED_ITEMS = 5;
/** Advisory ids a grew / shrank mail lists. */
const MAIL_LISTED_IDS = 10;
/** Package names listed per update in a mail. */
const MAIL_LISTED_PACKAGES = 3;

export interface NotifiedAlert {
  id: number;
  kind: AlertKind;
  mirrorId: string;
  major: number | null;
  summary: string;
  startsAt: Date;
  resolvedAt: Date | null;
}

export interface NotifiedAlertEvent {
  id: number;
  type: AlertEventType;
  at: Date;
  details: AlertDetails;
}

export interface AlertNotification {
  alert: NotifiedAlert;
  event: NotifiedAlertEvent;
  /** The recipient's scope: only these advisories are listed (empty = all of them). */
  matchedAdvisoryIds: string[];
}

/** FIRING, RESOLVED or REMINDER: what the event means to the reader. */
export function describeAlertEventState(type: AlertEventType): "FIRING" | "RESOLVED" | "REMINDER" {
  if (type === "resolved") return "RESOLVED";
  if (type === "reminder") return "REMINDER";
  return "FIRING";
}

/**
 * The headline of an event: its own details' conclusion (summarizeAlert), never the alert's summary as it stands now —
 * a mail sent after the alert grew must not quote other numbers than its body. The stored summary stands in for
 * details from before the summary could be computed from them.
 */
export function describeAlertTitle(alert: NotifiedAlert, details: AlertDetails): string {
  const computed = summarizeAlert({ kind: alert.kind, mirrorName: alert.mirrorId, major: alert.major }, details);
  if (computed !== null) return computed;
  if (alert.summary.trim() !== "") return alert.summary;
  const mirror = details.mirrorName || alert.mirrorId;
  return `${ALERT_KIND_LABELS[alert.kind]} on ${mirror}${alert.major === null ? "" : ` for RHEL ${alert.major}`}`;
}

export function listNotifiedItems(notification: AlertNotification): AlertItem[] {
  const { items } = notification.event.details;
  if (notification.matchedAdvisoryIds.length === 0) return items;
  const kept = new Set(notification.matchedAdvisoryIds);
  return items.filter((item) => kept.has(item.advisoryId));
}

export function buildAlertLinks(publicUrl: string, alert: Pick<NotifiedAlert, "id" | "mirrorId" | "major">) {
  const origin = trimOrigin(publicUrl);
  const mirror = encodeURIComponent(alert.mirrorId);
  return {
    alertUrl: `${origin}/alerts/${alert.id}`,
    mirrorUrl: `${origin}/mirrors/${mirror}`,
    missingReportUrl: `${origin}/reports/missing?mirror=${mirror}${alert.major === null ? "" : `&major=${alert.major}`}`,
  };
}

const EVENT_SENTENCES: Record<AlertEventType, string> = {
  fired: "This alert started firing.",
  grew: "More updates are now affected.",
  shrank: "Some updates reached the mirror; the alert still fires for the rest.",
  reminder: "This alert is still firing.",
  inhibited: "This alert is folded into a wider one.",
  uninhibited: "The wider alert that explained this one has resolved; this one still fires.",
  resolved: "This alert has resolved.",
};

function renderItem(item: AlertItem): MailLine {
  const names = item.packages.slice(0, MAIL_LISTED_PACKAGES).map((pkg) => pkg.name);
  if (item.packages.length > MAIL_LISTED_PACKAGES) names.push(`+${item.packages.length - MAIL_LISTED_PACKAGES} more`);
  const elsewhere = item.publishedOn?.map((mirror) => mirror.mirrorName) ?? [];
  return [
    { text: item.advisoryId, href: item.advisoryUrl },
    item.severity ? ` [${item.severity}]` : "",
    names.length > 0 ? ` ${names.join(", ")}` : "",
    ` — released ${formatDate(item.issuedAt)}`,
    item.publishedOn === undefined ? "" : elsewhere.length > 0 ? `; on ${elsewhere.join(", ")}` : "; on no other mirror",
  ];
}

/** The most severe first, then the newest: what a reader acts on when only a few are listed. */
export function orderForReading(items: readonly AlertItem[]): AlertItem[] {
  return [...items].sort(
    (a, b) =>
      rankSeverity(a.severity) - rankSeverity(b.severity) ||
      b.issuedAt.localeCompare(a.issuedAt) ||
      (a.advisoryId < b.advisoryId ? -1 : a.advisoryId > b.advisoryId ? 1 : 0),
  );
}

/** The evidence of one alert event as mail sections (also used by the digest). */
export function buildAlertSections(notification: AlertNotification, publicUrl: string, options: { maxItems?: number } = {}): MailSection[] {
  const { alert, event } = notification;
  const { details } = event;
  const links = buildAlertLinks(publicUrl, alert);
  const items = listNotifiedItems(notification);
  const mirror = details.mirrorName || alert.mirrorId;
  const elsewhere = describePublishedElsewhere(items);
  const facts: MailLine[] = [
    [EVENT_SENTENCES[event.type]],
    ...(elsewhere && event.type !== "resolved" ? [[elsewhere]] : []),
    [`Mirror: `, { text: mirror, href: links.mirrorUrl }, alert.major === null ? "" : ` — RHEL ${alert.major}`],
    [`Kind: ${ALERT_KIND_LABELS[alert.kind]}`],
    [`Firing since ${formatInstant(alert.startsAt)}`, event.type === "resolved" ? `, resolved ${formatInstant(event.at)}` : ""],
  ];
  const sections: MailSection[] = [{ lines: facts }];

  if (details.stop) {
    const stop = details.stop;
    sections.push({
      title: "Why we think the mirror stopped publishing",
      lines: [
        [`Last publication for this major: ${formatInstant(stop.lastPublishedAt)}`],
        [`Normal lag of this mirror: ${describeStopNormalLag(stop)}`],
        [`Released since: ${describeStopReleasedSince(stop)}`],
      ],
    });
  }
  const partialStop = readPartialStop(details.partialStop);
  if (partialStop) {
    sections.push({
      title: "Why we think the mirror stopped some packages",
      lines: [
        [describePartialStopSentence(mirror, partialStop, alert.major ?? details.major)],
        [describePartialStopWindow(partialStop)],
        [`Normal lag of this mirror: ${formatPartialStopLag(partialStop)}`],
        // Every name, however many: the reader acts on this list (the chat webhooks cap it, the mail does not).
        [`Packages it stopped publishing (${partialStop.stoppedPackages.length}): ${joinNames(partialStop.stoppedPackages)}`],
        [`Packages still arriving (${partialStop.keptPackages.length}): ${joinNames(partialStop.keptPackages)}`],
      ],
    });
  }
  if (details.stale) {
    const stale = details.stale;
    sections.push({
      title: "We cannot poll this mirror",
      lines: [
        [
          `Last successful poll: ${stale.lastSuccessAt ? formatInstant(stale.lastSuccessAt) : "never"} (stale after ${formatDuration(stale.staleAfterMinutes * 60)})`,
        ],
        [`Failed polls in a row: ${stale.consecutiveFailures}`],
        ...(stale.lastErrorKind || stale.lastErrorMessage
          ? [[`Last error: ${[stale.lastErrorKind, stale.lastErrorMessage].filter(Boolean).join(": ")}`]]
          : []),
        ["Until polling works again, per-update alerts for this mirror neither fire nor resolve."],
      ],
    });
  }
  if (event.type === "grew" && details.added?.length) {
    sections.push({ title: "Newly affected", isList: true, lines: capItems(details.added, MAIL_LISTED_IDS, (id) => [id]) });
  }
  if (event.type === "shrank" && details.removed?.length) {
    sections.push({ title: "No longer affected", isList: true, lines: capItems(details.removed, MAIL_LISTED_IDS, (id) => [id]) });
  }
  if (items.length > 0) {
    const max = options.maxItems ?? MAIL_LISTED_ITEMS;
    const shown = orderForReading(items).slice(0, max);
    const lines = shown.map(renderItem);
    if (items.length > shown.length)
      lines.push([`… and ${items.length - shown.length} more: `, { text: "every one on the alert page", href: links.alertUrl }]);
    const total = notification.event.details.items.length;
    const count = items.length === total ? `${items.length}` : `${items.length} of ${total}, those your subscription covers`;
    sections.push({
      title:
        alert.kind === "partial_stop"
          ? `Unpublished updates in the window (${count})`
          : alert.kind === "publishing_stopped"
            ? `Updates released since the stop (${count})`
            : `Updates (${count})`,
      isList: true,
      lines,
    });
  }
  sections.push({
    lines: [
      [{ text: "Alert page", href: links.alertUrl }],
      [{ text: "Mirror page", href: links.mirrorUrl }],
      [{ text: "Missing-update report", href: links.missingReportUrl }],
    ],
  });
  return sections;
}

export function buildSubscriberFooter(links: Pick<SubscriptionLinks, "manageUrl" | "unsubscribeUrl">): MailSection {
  return {
    isQuiet: true,
    lines: [
      ["You receive this because you subscribed to srcwatch alerts."],
      [{ text: "Change what you receive", href: links.manageUrl }, " · ", { text: "Unsubscribe", href: links.unsubscribeUrl }],
    ],
  };
}

export function renderAlertEmail(input: {
  notification: AlertNotification;
  publicUrl: string;
  links: Pick<SubscriptionLinks, "manageUrl" | "unsubscribeUrl" | "oneClickUnsubscribeUrl">;
}): RenderedEmail {
  const { notification, publicUrl, links } = input;
  const title = describeAlertTitle(notification.alert, notification.event.details);
  const state = describeAlertEventState(notification.event.type);
  const heading = `${state}: ${title}`;
  const sections = [...buildAlertSections(notification, publicUrl), buildSubscriberFooter(links)];
  return {
    subject: toHeaderValue(`[srcwatch] ${heading}`),
    text: renderMailText(heading, sections),
    html: renderMailHtml(heading, sections),
    headers: buildListHeaders(publicUrl, links),
  };
}
