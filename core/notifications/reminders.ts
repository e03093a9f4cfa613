/**
 * How often a subscriber hears again about an alert that keeps firing, chosen at subscription. The alert's own
 * reminder events follow its repeat interval (notifications.repeatIntervalHours); each subscriber gets one only when
 * their own last mail about that alert is at least their interval old — a subscriber told a minute ago (by the
 * catch-up of their confirmation, say) is not reminded now.
 */
export const SUBSCRIPTION_REMINDERS = ["daily", "weekly", "never"] as const;
export type SubscriptionReminders = (typeof SUBSCRIPTION_REMINDERS)[number];

const INTERVAL_HOURS: Record<Exclude<SubscriptionReminders, "never">, number> = { daily: 24, weekly: 168 };
/** Evaluations run at poll boundaries: a reminder that comes up to an hour early still counts as due. */
const EARLY_TOLERANCE_HOURS = 1;
const HOUR_MS = 3_600_000;

export function isSubscriptionReminders(value: string): value is SubscriptionReminders {
  return (SUBSCRIPTION_REMINDERS as readonly string[]).includes(value);
}

/**
 * Whether a reminder of an alert goes to a subscriber whose last notification about it was queued at `lastNotifiedAt`
 * (null: never told — then it is news, not a reminder, and goes whatever they chose). An unknown stored value counts
 * as the default, daily.
 */
export function isReminderDue(reminders: string, lastNotifiedAt: Date | null, now: Date): boolean {
  if (lastNotifiedAt === null) return true;
  const chosen = isSubscriptionReminders(reminders) ? reminders : "daily";
  if (chosen === "never") return false;
  return now.getTime() - lastNotifiedAt.getTime() >= (INTERVAL_HOURS[chosen] - EARLY_TOLERANCE_HOURS) * HOUR_MS;
}
