import { describe, expect, it } from "vitest";
import { PUBLIC_ERROR_MESSAGE_MAX_CHARACTERS, toPublicErrorMessage } from "./to-public-error-message";

describe("toPublicErrorMessage", () => {
  it("keeps an ordinary message as stored", () => {
    const message = 'line 2 (48 characters) is not a CSAF index row "<year>/<id>.json","<ISO time>" (https://example.org/changes.csv)';
    expect(toPublicErrorMessage(message)).toBe(message);
    expect(toPublicErrorMessage(null)).toBeNull();
  });

  it("replaces control and bidirectional-override characters with spaces", () => {
    expect(toPublicErrorMessage("HTTP 500\r\nSet-Cookie: x\u0000 \u202eevil")).toBe("HTTP 500 Set-Cookie: x evil");
  });

  it("cuts a message longer than the cap", () => {
    const shown = toPublicErrorMessage("x".repeat(PUBLIC_ERROR_MESSAGE_MAX_CHARACTERS * 4));
    expect(shown).toHaveLength(PUBLIC_ERROR_MESSAGE_MAX_CHARACTERS);
    expect(shown?.endsWith("…")).toBe(true);
  });
});
