import "server-only";

import { isSubscriptionReminders } from "../../core/notifications/reminders";
import { ALERT_KIND_LABELS } from "../../core/alerts/types";
import type { SubscriptionScope } from "../../core/alerts/subscription-scope";
import type { RenderedEmail } from "./rendered-email";
import { renderMailHtml, renderMailText, type MailSection } from "./render-mail-sections";
import { toHeaderValue } from "./to-header-value";

/** What a scope asks for, in words: "Mirrors: git.centos.org; RHEL 8; Alerts: …; Severities: all; Packages: all". */
export function describeSubscriptionScope(scope: SubscriptionScope): string[] {
  const all = (list: readonly unknown[], text: string) => (list.length === 0 ? "all" : text);
  return [
    `Mirrors: ${all(scope.mirrors, scope.mirrors.join(", "))}`,
    `RHEL majors: ${all(scope.majors, scope.majors.join(", "))}`,
    `Alerts: ${scope.kinds.map((kind) => ALERT_KIND_LABELS[kind]).join(", ")}`,
    `Severities: ${all(scope.severities, scope.severities.join(", "))}`,
    `Packages: ${all(scope.packagePatterns, scope.packagePatterns.join(", "))}`,
  ];
}

/** The double opt-in mail: the one mail a not-yet-confirmed address may get. No unsubscribe header: nothing to leave yet. */
export function renderConfirmationEmail(input: {
  confirmUrl: string;
  scope: SubscriptionScope;
  delivery: "immediate" | "daily" | string;
  /** daily, weekly or never; absent in mails rendered before reminders could be chosen. */
  reminders?: string;
}): RenderedEmail {
  const heading = "Confirm your srcwatch subscription";
  const sections: MailSection[] = [
    {
      lines: [
        ["Someone, hopefully you, asked to receive srcwatch alerts at this address. Confirm with this link (valid for 7 days):"],
        [{ text: input.confirmUrl, href: input.confirmUrl }],
      ],
    },
    {
      title: "You asked for",
      isList: true,
      lines: [
        ...describeSubscriptionScope(input.scope).map((line) => [line]),
        [input.delivery === "daily" ? "Delivery: one daily digest" : "Delivery: immediately"],
        ...(input.reminders === undefined
          ? []
          : [[`Reminders while an alert keeps firing: ${isSubscriptionReminders(input.reminders) ? input.reminders : "daily"}`]]),
      ],
    },
    { isQuiet: true, lines: [["If this was not you, ignore this mail: nothing more will be sent to this address."]] },
  ];
  return {
    subject: toHeaderValue(`[srcwatch] ${heading}`),
    text: renderMailText(heading, sections),
    html: renderMailHtml(heading, sections),
    headers: { "Auto-Submitted": "auto-generated" },
  };
}
