import { describe, expect, it } from "vitest";
import { StoredJsonError } from "./stored-json";
import {
  decodeSubscriptionScope,
  encodeSubscriptionScope,
  safeDecodeSubscriptionScope,
  type SubscriptionScope,
} from "./subscription-scope";

describe("subscription scope codec", () => {
  it("reads back exactly what it stored", () => {
    const scope: SubscriptionScope = {
      mirrors: ["git.centos.org"],
      majors: [8, 9],
      kinds: ["update_missing"],
      severities: ["Critical"],
      packagePatterns: ["kernel*"],
    };
    expect(decodeSubscriptionScope(encodeSubscriptionScope(scope), 1)).toEqual(scope);
  });

  it("stores every field, the defaults filled in", () => {
    expect(JSON.parse(encodeSubscriptionScope({ majors: [8] }))).toEqual({
      mirrors: [],
      majors: [8],
      kinds: ["publishing_stopped", "partial_stop", "update_missing", "mirror_stale"],
      severities: [],
      packagePatterns: [],
    });
  });

  it("reads a row written before a field existed with that field's default", () => {
    expect(decodeSubscriptionScope('{"kinds":["publishing_stopped"]}', 2)).toEqual({
      mirrors: [],
      majors: [],
      kinds: ["publishing_stopped"],
      severities: [],
      packagePatterns: [],
    });
  });

  it("names the column, the row and the field of a stored scope that is not one", () => {
    expect(() => decodeSubscriptionScope('{"kinds":["mirror_on_fire"]}', 12)).toThrowError(StoredJsonError);
    expect(() => decodeSubscriptionScope('{"kinds":["mirror_on_fire"]}', 12)).toThrowError(
      /^Subscription\.scope of row 12: not a valid SubscriptionScope: kinds\.0: /,
    );
    expect(() => decodeSubscriptionScope("{", 13)).toThrowError(/^Subscription\.scope of row 13: not valid JSON/);
  });

  it("refuses to store a scope the form could never send", () => {
    expect(() => encodeSubscriptionScope({ packagePatterns: ["kernel(.*)+"] })).toThrowError(
      /Subscription\.scope: refusing to store .*packagePatterns\.0/,
    );
  });

  it("gives null for a scope that no longer parses, for readers that must go on", () => {
    expect(safeDecodeSubscriptionScope('{"kinds":[]}')).toBeNull();
    expect(safeDecodeSubscriptionScope("nonsense")).toBeNull();
    expect(safeDecodeSubscriptionScope("{}")?.kinds).toEqual(["publishing_stopped", "partial_stop", "update_missing", "mirror_stale"]);
  });
});
