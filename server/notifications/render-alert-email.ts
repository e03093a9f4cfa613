import "server-only";

import { ALERT_KIND_LABELS, type AlertDetails, type AlertEventType, type AlertItem, type AlertKind } from "../../core/alerts/types";
import type { SubscriptionLinks } from "../subscriptions/subscription-tokens";
import { buildListHeaders } from "./build-list-headers";
import { formatDuration } from "../../core/format/format-duration";
import { formatInstant } from "../../core/format/format-instant";
import { trimOrigin } from "./format-notification-values";
import type { RenderedEmail } from "./rendered-email";
import { capItems, MAX_LISTED_ITEMS, renderMailHtml, renderMailText, type MailLine, type MailSection } from "./render-mail-sections";
import { toHeaderValue } from "./to-header-value";
import {
  describePartialStopSentence,
  describePartialStopWindow,
  formatPartialStopLag,
  joinNames,
} from "../../core/format/describe-partial-stop";
import { readPartialStop } from "../read/read-partial-stop";

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

export function describeAlertTitle(alert: NotifiedAlert, details: AlertDetails): string {
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

function renderItem(item: AlertItem, maxPackages: number): MailLine {
  const packages = item.packages.slice(0, maxPackages).map((pkg) => `${pkg.nevra} (${pkg.status})`);
  if (item.packages.length > maxPackages) packages.push(`and ${item.packages.length - maxPackages} more`);
  return [
    { text: item.advisoryId, href: item.advisoryUrl },
    item.severity ? ` [${item.severity}]` : "",
    item.title ? ` ${item.title}` : "",
    ` — released ${formatInstant(item.issuedAt)}, ${formatDuration(item.ageHours * 3600)} ago`,
    packages.length > 0 ? `; not on the mirror: ${packages.join(", ")}` : "",
  ];
}

/** The evidence of one alert event as mail sections (also used by the digest). */
export function buildAlertSections(notification: AlertNotification, publicUrl: string, options: { maxItems?: number } = {}): MailSection[] {
  const { alert, event } = notification;
  const { details } = event;
  const links = buildAlertLinks(publicUrl, alert);
  const items = listNotifiedItems(notification);
  const mirror = details.mirrorName || alert.mirrorId;
  const facts: MailLine[] = [
    [EVENT_SENTENCES[event.type]],
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
        [
          `Normal lag of this mirror: ${formatDuration(stop.normalLagHours * 3600)} (`,
          stop.normalLagSource === "learned"
            ? `p${stop.percentile} of ${stop.historySize} published updates`
            : "configured; too little history to learn from",
          ")",
        ],
        [`Updates released since then: ${stop.releasedSinceCount}, overdue by that normal lag: ${stop.overdueSinceCount}`],
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
    sections.push({ title: "Newly affected", isList: true, lines: capItems(details.added, MAX_LISTED_ITEMS, (id) => [id]) });
  }
  if (event.type === "shrank" && details.removed?.length) {
    sections.push({ title: "No longer affected", isList: true, lines: capItems(details.removed, MAX_LISTED_ITEMS, (id) => [id]) });
  }
  if (items.length > 0) {
    sections.push({
      title: alert.kind === "partial_stop" ? `Unpublished updates in the window (${items.length})` : `Updates (${items.length})`,
      isList: true,
      lines: capItems(items, options.maxItems ?? MAX_LISTED_ITEMS, (item) => renderItem(item, 10)),
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
