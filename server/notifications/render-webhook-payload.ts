import { toSafeHref } from "../../core/check-link";
import { escapeHtml } from "./escape-html";
import { buildAlertLinks, describeAlertEventState, describeAlertTitle, listNotifiedItems, type AlertNotification } from "./render-alert-email";

export type WebhookFormat = "json" | "slack" | "matrix";

export const WEBHOOK_PAYLOAD_VERSION = 1;
const MAX_WEBHOOK_ITEMS = 10;

/** The body of one webhook delivery, as the configured format wants it. */
export function renderWebhookPayload(format: WebhookFormat, notification: AlertNotification, publicUrl: string): Record<string, unknown> {
  const { alert, event } = notification;
  const links = buildAlertLinks(publicUrl, alert);
  const state = describeAlertEventState(event.type);
  const title = describeAlertTitle(alert, event.details);
  // Stored alert events may hold advisory links from before links were checked: only plain http(s) ones go out.
  const items = listNotifiedItems(notification).map((item) => ({ ...item, advisoryUrl: toSafeHref(item.advisoryUrl) }));

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
      details: { ...event.details, items },
    };
  }

  const shown = items.slice(0, MAX_WEBHOOK_ITEMS);
  const more = items.length - shown.length;
  const itemText = (item: (typeof items)[number]) => `${item.advisoryId}${item.severity ? ` [${item.severity}]` : ""}: ${item.packages.map((pkg) => pkg.name).join(", ")}`;

  if (format === "slack") {
    const slackEscape = (value: string) => value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    const headline = `${state}: ${title}`;
    const slackLink = (item: (typeof items)[number]) =>
      item.advisoryUrl === null ? slackEscape(item.advisoryId) : `<${slackEscape(item.advisoryUrl).replace(/\|/g, "%7C")}|${slackEscape(item.advisoryId)}>`;
    const lines = shown.map((item) => `• ${slackLink(item)}${slackEscape(itemText(item).slice(item.advisoryId.length))}`);
    if (more > 0) lines.push(`… and ${more} more`);
    return {
      text: `[srcwatch] ${headline} ${links.alertUrl}`,
      blocks: [
        { type: "section", text: { type: "mrkdwn", text: `*${slackEscape(headline)}*\n<${links.alertUrl}|Alert page> · <${links.mirrorUrl}|Mirror page>` } },
        ...(lines.length > 0 ? [{ type: "section", text: { type: "mrkdwn", text: lines.join("\n").slice(0, 2900) } }] : []),
      ],
    };
  }

  const matrixLink = (item: (typeof items)[number]) =>
    item.advisoryUrl === null ? escapeHtml(item.advisoryId) : `<a href="${escapeHtml(item.advisoryUrl)}">${escapeHtml(item.advisoryId)}</a>`;
  const plain = [`[srcwatch] ${state}: ${title}`, ...shown.map((item) => `- ${itemText(item)}`), ...(more > 0 ? [`… and ${more} more`] : []), links.alertUrl];
  const html = [
    `<p><strong>[srcwatch] ${escapeHtml(state)}: ${escapeHtml(title)}</strong></p>`,
    shown.length > 0
      ? `<ul>${shown.map((item) => `<li>${matrixLink(item)}${escapeHtml(itemText(item).slice(item.advisoryId.length))}</li>`).join("")}${more > 0 ? `<li>… and ${more} more</li>` : ""}</ul>`
      : "",
    `<p><a href="${escapeHtml(links.alertUrl)}">Alert page</a> · <a href="${escapeHtml(links.mirrorUrl)}">Mirror page</a></p>`,
  ].join("");
  return { msgtype: "m.text", body: plain.join("\n"), format: "org.matrix.custom.html", formatted_body: html };
}
