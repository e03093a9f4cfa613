import { describe, expect, it } from "vitest";
import { StoredJsonError } from "../stored-json";
import {
  decodeAlertNotificationPayload,
  decodeConfirmationPayload,
  decodeDigestPayload,
  encodeAlertNotificationPayload,
  encodeConfirmationPayload,
  encodeDigestPayload,
} from "./outbox-payload-codec";

describe("outbox payload codecs", () => {
  it("read back exactly what they stored, for each kind of message", () => {
    const alert = { matchedAdvisoryIds: ["RHSA-2023:3722"], catchUp: true };
    expect(decodeAlertNotificationPayload(encodeAlertNotificationPayload(alert), 1)).toEqual(alert);
    expect(decodeConfirmationPayload(encodeConfirmationPayload({ subscriptionId: 7 }), 2)).toEqual({ subscriptionId: 7 });
    const digest = { subscriptionId: 7, date: "2023-06-16", outboxIds: [3, 4] };
    expect(decodeDigestPayload(encodeDigestPayload(digest), 3)).toEqual(digest);
  });

  it("read the column's default {} as the whole alert and the row's own subscription", () => {
    expect(decodeAlertNotificationPayload("{}", 1)).toEqual({ matchedAdvisoryIds: [] });
    expect(decodeConfirmationPayload("{}", 2)).toEqual({});
  });

  it("name the column, the row and the field of a payload that is not of its kind", () => {
    expect(() => decodeDigestPayload('{"subscriptionId":7,"date":"yesterday","outboxIds":[3]}', 21)).toThrowError(StoredJsonError);
    expect(() => decodeDigestPayload('{"subscriptionId":7,"date":"yesterday","outboxIds":[3]}', 21)).toThrowError(
      /^OutboxMessage\.payload of row 21: not a valid DigestPayload: date: /,
    );
    expect(() => decodeAlertNotificationPayload('{"matchedAdvisoryIds":"RHSA-2023:3722"}', 22)).toThrowError(
      /^OutboxMessage\.payload of row 22: .*matchedAdvisoryIds/,
    );
    expect(() => decodeConfirmationPayload("", 23)).toThrowError(/^OutboxMessage\.payload of row 23: not valid JSON/);
  });

  it("refuse to store a digest that bundles nothing it can name", () => {
    expect(() => encodeDigestPayload({ subscriptionId: 7, date: "2023-06-16", outboxIds: [0] })).toThrowError(
      /OutboxMessage\.payload: refusing to store .*outboxIds\.0/,
    );
  });
});
