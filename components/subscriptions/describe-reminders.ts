import type { SubscriptionReminders } from "@/core/notifications/reminders";

const DESCRIPTIONS: Record<SubscriptionReminders, string> = {
  daily: "Daily, at most one a day per alert (default)",
  weekly: "Weekly, at most one a week per alert",
  never: "Never: only when an alert starts, changes or resolves",
};

/** How a subscriber's reminder choice reads on the form and the confirmation page. */
export function describeReminders(reminders: SubscriptionReminders): string {
  return DESCRIPTIONS[reminders];
}
