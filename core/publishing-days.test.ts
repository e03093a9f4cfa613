import { describe, expect, it } from "vitest";
import { countPublishingDays } from "./publishing-days";

const now = new Date("2023-06-20T15:00:00Z");

describe("countPublishingDays", () => {
  it("counts publications per UTC day, oldest first, ending today", () => {
    const days = countPublishingDays({
      publishedAt: [
        new Date("2023-06-20T01:00:00Z"),
        new Date("2023-06-20T23:59:00Z"),
        new Date("2023-06-18T12:00:00Z"),
        new Date("2023-01-01"),
      ],
      now,
      firstPollAt: new Date("2023-06-01T00:00:00Z"),
      lastSuccessAt: new Date("2023-06-20T14:00:00Z"),
      days: 5,
    });
    expect(days).toEqual([0, 0, 1, 0, 2]);
  });

  it("leaves a gap, not a zero, where we did not poll: after the last success, and before the first poll unless the mirror dated a publication", () => {
    const days = countPublishingDays({
      publishedAt: [new Date("2023-06-16T10:00:00Z")],
      now,
      firstPollAt: new Date("2023-06-17T08:00:00Z"),
      lastSuccessAt: new Date("2023-06-18T09:00:00Z"),
      days: 6,
    });
    // 15th: before polling, nothing dated → gap; 16th: dated by the mirror → 1; 17th, 18th polled → 0; 19th, 20th: stale → gaps.
    expect(days).toEqual([null, 1, 0, 0, null, null]);
    expect(countPublishingDays({ publishedAt: [], now, firstPollAt: null, lastSuccessAt: null, days: 2 })).toEqual([null, null]);
  });
});
