import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseRetryAfterSeconds, signWebhookBody } from "./send-webhook";

describe("signWebhookBody", () => {
  it("signs timestamp.body with HMAC-SHA256 in hex", () => {
    const expected = createHmac("sha256", "k").update('1686909600.{"a":1}').digest("hex");
    expect(signWebhookBody("k", "1686909600", '{"a":1}')).toBe(`sha256=${expected}`);
  });
});

describe("parseRetryAfterSeconds", () => {
  const now = new Date("2023-06-16T10:00:00Z");
  it.each([
    ["120", 120],
    [" 5 ", 5],
    ["Fri, 16 Jun 2023 10:10:00 GMT", 600],
    ["Fri, 16 Jun 2023 09:00:00 GMT", 0],
    ["soon", undefined],
    [null, undefined],
  ])("reads %j as %j seconds", (value, seconds) => {
    expect(parseRetryAfterSeconds(value, now)).toBe(seconds);
  });
});
