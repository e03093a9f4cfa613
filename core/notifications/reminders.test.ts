import { describe, expect, it } from "vitest";
import { isReminderDue } from "./reminders";

const now = new Date("2023-06-20T12:00:00Z");
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);

describe("isReminderDue", () => {
  it("reminds daily subscribers a day after their last mail about the alert, an hour early at most", () => {
    expect(isReminderDue("daily", hoursAgo(24), now)).toBe(true);
    expect(isReminderDue("daily", hoursAgo(23), now)).toBe(true);
    expect(isReminderDue("daily", hoursAgo(22.9), now)).toBe(false);
    // Told by the catch-up of their confirmation a second ago: not reminded now.
    expect(isReminderDue("daily", new Date(now.getTime() - 800), now)).toBe(false);
  });

  it("reminds weekly subscribers a week after, and never those who chose never", () => {
    expect(isReminderDue("weekly", hoursAgo(100), now)).toBe(false);
    expect(isReminderDue("weekly", hoursAgo(167), now)).toBe(true);
    expect(isReminderDue("never", hoursAgo(10_000), now)).toBe(false);
  });

  it("tells a subscriber never told about the alert, whatever they chose: it is news to them", () => {
    expect(isReminderDue("never", null, now)).toBe(true);
    expect(isReminderDue("weekly", null, now)).toBe(true);
  });

  it("reads an unknown stored value as the default, daily", () => {
    expect(isReminderDue("hourly", hoursAgo(2), now)).toBe(false);
    expect(isReminderDue("hourly", hoursAgo(24), now)).toBe(true);
  });
});
