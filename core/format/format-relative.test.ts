import { describe, expect, it } from "vitest";
import { formatRelative } from "./format-relative";

describe("formatRelative", () => {
  const now = "2023-06-14T12:00:00Z";
  it("says how long ago an instant was", () => {
    expect(formatRelative("2023-06-14T09:00:00Z", now)).toBe("3 h ago");
  });
  it("says when a future instant comes", () => {
    expect(formatRelative("2023-06-16T12:00:00Z", now)).toBe("in 2 d");
  });
  it("rounds the last half minute to just now", () => {
    expect(formatRelative("2023-06-14T11:59:45Z", now)).toBe("just now");
  });
});
