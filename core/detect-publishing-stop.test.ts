import { describe, expect, it } from "vitest";
import { detectPublishingStop, type CarriedUpdate } from "./detect-publishing-stop";

const now = new Date("2023-06-24T00:00:00Z");
const at = (day: string, hour = 12) => new Date(`2023-06-${day}T${String(hour).padStart(2, "0")}:00:00Z`);
const published = (issuedDay: string, publishedDay: string): CarriedUpdate => ({ issuedAt: at(issuedDay), publishedAt: at(publishedDay) });
const open = (issuedDay: string): CarriedUpdate => ({ issuedAt: at(issuedDay), publishedAt: null });
const detect = (updates: CarriedUpdate[], minOverdueUpdates = 5) =>
  detectPublishingStop(updates, { now, minOverdueUpdates, expectedLagHours: 48 });

describe("detectPublishingStop", () => {
  it("finds the last publication once five overdue updates followed it unpublished", () => {
    const stop = detect([
      published("05", "06"),
      published("12", "13"),
      open("14"),
      open("15"),
      open("16"),
      open("18"),
      open("20"),
      open("23"),
    ]);
    expect(stop.stoppedAt).toEqual(at("13"));
    expect(stop.releasedSinceCount).toBe(6);
    expect(stop.overdueSinceCount).toBe(5);
  });

  it("does not call a mirror stopped while the unpublished updates are within the expected lag", () => {
    const stop = detect([published("12", "21"), open("22"), open("22"), open("22"), open("23"), open("23"), open("23")]);
    expect(stop.stoppedAt).toBeNull();
    expect(stop.lastPublishedAt).toEqual(at("21"));
    expect(stop.releasedSinceCount).toBe(6);
    expect(stop.overdueSinceCount).toBe(0);
  });

  it("does not call a mirror stopped below the threshold", () => {
    const updates = [published("10", "11"), open("12"), open("13"), open("14")];
    expect(detect(updates).stoppedAt).toBeNull();
    expect(detect(updates, 3).stoppedAt).toEqual(at("11"));
  });

  it("ignores old updates still missing from before the last publication", () => {
    const stop = detect([open("01"), open("02"), open("03"), open("04"), open("05"), published("10", "20"), open("21")]);
    expect(stop.stoppedAt).toBeNull();
    expect(stop.releasedSinceCount).toBe(1);
  });

  it("has no stop moment for a mirror that never published", () => {
    const stop = detect([open("01"), open("02"), open("03"), open("04"), open("05"), open("06")]);
    expect(stop).toEqual({ stoppedAt: null, lastPublishedAt: null, releasedSinceCount: 6, overdueSinceCount: 6 });
  });

  it("takes the latest publication even when updates were published out of order", () => {
    const stop = detect([published("10", "19"), published("15", "16"), open("20"), open("20"), open("20"), open("21"), open("21")]);
    expect(stop.stoppedAt).toEqual(at("19"));
  });

  it("does not count updates issued after now", () => {
    const stop = detect([published("01", "02"), open("03"), open("04"), open("05"), open("06"), open("25")]);
    expect(stop.releasedSinceCount).toBe(4);
    expect(stop.stoppedAt).toBeNull();
  });
});

describe("detectPublishingStop and packages not asked about yet", () => {
  const now = new Date("2023-07-01T00:00:00Z");
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);

  it("never counts an update not checked yet as overdue: not checked is not missing", () => {
    const updates = [
      { issuedAt: daysAgo(40), publishedAt: daysAgo(39) },
      { issuedAt: daysAgo(30), publishedAt: null, isUnchecked: true },
      { issuedAt: daysAgo(20), publishedAt: null, isUnchecked: true },
      { issuedAt: daysAgo(10), publishedAt: null },
    ];
    expect(detectPublishingStop(updates, { now, minOverdueUpdates: 2, expectedLagHours: 48 })).toMatchObject({
      stoppedAt: null,
      releasedSinceCount: 3,
      overdueSinceCount: 1,
    });
    const asked = updates.map((update) => ({ ...update, isUnchecked: false }));
    expect(detectPublishingStop(asked, { now, minOverdueUpdates: 2, expectedLagHours: 48 })).toMatchObject({
      stoppedAt: daysAgo(39),
      overdueSinceCount: 3,
    });
  });
});
