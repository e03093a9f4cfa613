import "server-only";

import type { SubscriptionLinks } from "../subscriptions/subscription-tokens";
import { buildListHeaders } from "./build-list-headers";
import { formatInstant } from "../../core/format/format-instant";
import {
  buildAlertSections,
  buildSubscriberFooter,
  describeAlertEventState,
  describeAlertTitle,
  type AlertNotification,
} from "./render-alert-email";
import type { RenderedEmail } from "./rendered-email";
import { capItems, renderMailHtml, renderMailText, type MailSection } from "./render-mail-sections";
import { toHeaderValue } from "./to-header-value";

/** Alerts listed in full in one digest; the rest only by their title line. */
const MAX_DETAILED_NOTIFICATIONS = 20;

/** One mail bundling a day of held alert notifications, oldest first. */
export function renderDigestEmail(input: {
  date: string;
  notifications: AlertNotification[];
  publicUrl: string;
  links: Pick<SubscriptionLinks, "manageUrl" | "unsubscribeUrl" | "oneClickUnsubscribeUrl">;
}): RenderedEmail {
  const { notifications, publicUrl, links } = input;
  const count = notifications.length;
  const heading = `Daily digest ${input.date}: ${count} alert notification${count === 1 ? "" : "s"}`;
  const titleOf = (notification: AlertNotification) =>
    `${describeAlertEventState(notification.event.type)}: ${describeAlertTitle(notification.alert, notification.event.details)} (${formatInstant(notification.event.at)})`;
  const sections: MailSection[] = [
    { title: "In this digest", isList: true, lines: capItems(notifications, 100, (notification) => [titleOf(notification)]) },
  ];
  for (const notification of notifications.slice(0, MAX_DETAILED_NOTIFICATIONS)) {
    const [first, ...rest] = buildAlertSections(notification, publicUrl, { maxItems: 20 });
    sections.push({ ...first, title: titleOf(notification) }, ...rest);
  }
  if (count > MAX_DETAILED_NOTIFICATIONS)
    sections.push({
      lines: [[`${count - MAX_DETAILED_NOTIFICATIONS} more notifications are listed above without details; see the alerts page.`]],
    });
  sections.push(buildSubscriberFooter(links));
  return {
    subject: toHeaderValue(`[srcwatch] ${heading}`),
    text: renderMailText(heading, sections),
    html: renderMailHtml(heading, sections),
    headers: buildListHeaders(publicUrl, links),
  };
}
