import "server-only";

import { toSafeHref } from "../../core/check-link";
import { escapeHtml } from "./escape-html";
import { describePartialStopSentence, formatPartialStopLag, joinNames } from "../../core/format/describe-partial-stop";
import { readPartialStop } from "../read/read-partial-stop";
import { describePublishedElsewhere, listPublishedElsewhere } from "../../core/alerts/summarize-alert";
import {
  buildAlertLinks,
  describeAlertEventState,
  describeAlertTitle,
  listNotifiedItems,
  type AlertNotification,
} from "./render-alert-email";

export type WebhookFormat = "json" | "slack" | "matrix";

export const WEBHOOK_PAYLOAD_VERSION = 1;
const MAX_WEBHOOK_ITEMS = 10;
/** Package names listed per list in a chat message; the rest as "+N more" (the mail and the alert page list all). */
export const MAX_WEBHOOK_PACKAGES = 20;

/** The partial-stop evidence as chat lines: the share, the stopped and still-arriving packages (capped), the normal lag. */
function describePartialStopLines(notification: AlertNotification): { headline: string; facts: string[] } | null {
  const { alert, event } = notification;
  const partialStop = readPartialStop(event.details.partialStop);
  if (!partialStop) return null;
  return {
    headline: describePartialStopSentence(event.details.mirrorName || alert.mirrorId, partialStop, alert.major ?? event.details.major),
    facts: [
      `Stopped (${partialStop.stoppedPackages.length}): ${joinNames(partialStop.stoppedPackages, MAX_WEBHOOK_PACKAGES)}`,
      `Still arriving (${partialStop.keptPackages.length}): ${joinNames(partialStop.keptPackages, MAX_WEBHOOK_PACKAGES)}`,
      `Normal lag: ${formatPartialStopLag(partialStop)}`,
    ],
  };
}

/** The body of one webhook delivery, as the configured format wants it. */
export function renderWebhookPayload(format: WebhookFormat, notification: AlertNotification, publicUrl: string): Record<string, unknown> {
  const { alert, event } = notification;
  const links = buildAlertLinks(publicUrl, alert);
  const state = describeAlertEventState(event.type);
  const title = describeAlertTitle(alert, event.details);
  // Stored alert events may hold advisory links from before links were checked: only plain http(s) ones go out.
  const notified = listNotifiedItems(notification);
  const items = notified.map((item) => ({ ...item, advisoryUrl: toSafeHref(item.advisoryUrl) }));
  const elsewhere = event.type === "resolved" ? null : describePublishedElsewhere(notified);

  if (format === "json") {
    return {
      version: WEBHOOK_PAYLOAD_VERSION,
      event: event.type,
      alert: {
        id: alert.id,
        kind: alert.kind,
        mirrorId: alert.mirrorId,
        major: alert.major,
        status: event.type === "resolved" ? "resolved" : "firing",
        summary: title,
        startsAt: alert.startsAt.toISOString(),
        resolvedAt: event.type === "resolved" ? (alert.resolvedAt ?? event.at).toISOString() : null,
        url: links.alertUrl,
      },
      details: {
        ...event.details,
        items,
        publishedElsewhere: listPublishedElsewhere(notified),
        // The rule's numbers as they are, or null when the stored ones do not hold together (as the API reads them).
        ...(event.details.partialStop === undefined ? {} : { partialStop: readPartialStop(event.details.partialStop) }),
      },
    };
  }

  const partialStop = describePartialStopLines(notification);
  const itemsHeading = partialStop && items.length > 0 ? `Unpublished updates in the window (${items.length}):` : null;

  const shown = items.slice(0, MAX_WEBHOOK_ITEMS);
  const more = items.length - shown.length;
  const itemText = (item: (typeof items)[number]) =>
    `${item.advisoryId}${item.severity ? ` [${item.severity}]` : ""}: ${item.packages.map((pkg) => pkg.name).join(", ")}`;

  if (format === "slack") {
    const slackEscape = (value: string) => value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    const headline = `${state}: ${title}`;
    const slackLink = (item: (typeof items)[number]) =>
      item.advisoryUrl === null
        ? slackEscape(item.advisoryId)
        : `<${slackEscape(item.advisoryUrl).replace(/\|/g, "%7C")}|${slackEscape(item.advisoryId)}>`;
    const lines = shown.map((item) => `• ${slackLink(item)}${slackEscape(itemText(item).slice(item.advisoryId.length))}`);
    if (more > 0) lines.push(`… and ${more} more`);
    if (itemsHeading) lines.unshift(itemsHeading);
    return {
      text: `[srcwatch] ${headline} ${links.alertUrl}`,
      blocks: [
        {
          type: "section",
          text: {
            type: "mrkdwn",
            text: `*${slackEscape(headline)}*\n${elsewhere ? `${slackEscape(elsewhere)}\n` : ""}<${links.alertUrl}|Alert page> · <${links.mirrorUrl}|Mirror page>`,
          },
        },
        ...(partialStop
          ? [
              {
                type: "section",
                text: {
                  type: "mrkdwn",
                  text: [`*${slackEscape(partialStop.headline)}*`, ...partialStop.facts.map(slackEscape)].join("\n").slice(0, 2900),
                },
              },
            ]
          : []),
        ...(lines.length > 0 ? [{ type: "section", text: { type: "mrkdwn", text: lines.join("\n").slice(0, 2900) } }] : []),
      ],
    };
  }

  const matrixLink = (item: (typeof items)[number]) =>
    item.advisoryUrl === null
      ? escapeHtml(item.advisoryId)
      : `<a href="${escapeHtml(item.advisoryUrl)}">${escapeHtml(item.advisoryId)}</a>`;
  const plain = [
    `[srcwatch] ${state}: ${title}`,
    ...(elsewhere ? [elsewhere] : []),
    ...(partialStop ? [partialStop.headline, ...partialStop.facts] : []),
    ...(itemsHeading ? [itemsHeading] : []),
    ...shown.map((item) => `- ${itemText(item)}`),
    ...(more > 0 ? [`… and ${more} more`] : []),
    links.alertUrl,
  ];
  const html = [
    `<p><strong>[srcwatch] ${escapeHtml(state)}: ${escapeHtml(title)}</strong></p>`,
    elsewhere ? `<p>${escapeHtml(elsewhere)}</p>` : "",
    partialStop ? `<p>${escapeHtml(partialStop.headline)}<br>${partialStop.facts.map(escapeHtml).join("<br>")}</p>` : "",
    itemsHeading ? `<p>${escapeHtml(itemsHeading)}</p>` : "",
    shown.length > 0
      ? `<ul>${shown.map((item) => `<li>${matrixLink(item)}${escapeHtml(itemText(item).slice(item.advisoryId.length))}</li>`).join("")}${more > 0 ? `<li>… and ${more} more</li>` : ""}</ul>`
      : "",
    `<p><a href="${escapeHtml(links.alertUrl)}">Alert page</a> · <a href="${escapeHtml(links.mirrorUrl)}">Mirror page</a></p>`,
  ].join("");
  return { msgtype: "m.text", body: plain.join("\n"), format: "org.matrix.custom.html", formatted_body: html };
}
