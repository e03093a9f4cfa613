import { describe, expect, it } from "vitest";
import { formatInstant, formatLocalInstant } from "./format-instant";

describe("formatting instants", () => {
  it("writes UTC the same way everywhere", () => {
    expect(formatInstant("2023-06-14T10:22:33Z")).toBe("2023-06-14 10:22 UTC");
  });

  it.each([
    ["Europe/Prague", "2023-06-14 12:22 GMT+2"],
    ["America/New_York", "2023-06-14 06:22 EDT"],
    ["Asia/Tokyo", "2023-06-14 19:22 GMT+9"],
    ["UTC", "2023-06-14 10:22 UTC"],
  ])("writes the viewer's local time in %s", (timeZone, expected) => {
    expect(formatLocalInstant("2023-06-14T10:22:33Z", timeZone)).toBe(expected);
  });

  it("crosses the date line by the zone, not by UTC", () => {
    expect(formatLocalInstant("2023-06-14T23:30:00Z", "Asia/Tokyo", true)).toBe("2023-06-15");
  });
});
