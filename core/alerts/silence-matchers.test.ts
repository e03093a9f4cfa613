import { describe, expect, it } from "vitest";
import { decodeSilenceMatchers, encodeSilenceMatchers, safeDecodeSilenceMatchers } from "./silence-matchers";

describe("silence matchers codec", () => {
  it("reads back exactly what it stored", () => {
    for (const matchers of [{ mirrorId: "git.centos.org", major: 9 }, { kind: "update_missing" as const }]) {
      expect(decodeSilenceMatchers(encodeSilenceMatchers(matchers), 1)).toEqual(matchers);
    }
  });

  it("names the column and the row of stored matchers that are not SilenceMatchers", () => {
    expect(() => decodeSilenceMatchers('{"packagePattern":"kernel*"}', 4)).toThrowError(
      /^Silence\.matchers of row 4: not a valid SilenceMatchers: /,
    );
    expect(() => decodeSilenceMatchers("{}", 5)).toThrowError(/^Silence\.matchers of row 5: .*at least one matcher/);
  });

  it("refuses to store a silence without a matcher: it would silence everything", () => {
    expect(() => encodeSilenceMatchers({})).toThrowError(/Silence\.matchers: refusing to store/);
  });

  it("gives null for matchers that no longer parse, so such a silence silences nothing", () => {
    expect(safeDecodeSilenceMatchers('{"mirrorId":"openela","packagePattern":"kernel*"}')).toBeNull();
    expect(safeDecodeSilenceMatchers("]")).toBeNull();
    expect(safeDecodeSilenceMatchers('{"major":8}')).toEqual({ major: 8 });
  });
});
