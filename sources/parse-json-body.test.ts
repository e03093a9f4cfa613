import { describe, expect, it } from "vitest";
import { z } from "zod";
import { describeJsonSyntaxError, parseJsonBody } from "./parse-json-body";

const SECRET = "internal-token-9f8e7d";

function describeParseFailure(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return describeJsonSyntaxError(error, text);
  }
  throw new Error("the text parsed");
}

describe("describeJsonSyntaxError", () => {
  it.each([
    ["an HTML page", `<html><title>${SECRET}</title></html>`, /^got HTML or XML, not JSON \(\d+ characters\)$/],
    ["a bare word", `{"document": ${SECRET}}`, /^not JSON: syntax error (at character 13 of|in) \d+ characters$/],
    [
      "a cut document",
      `{"document": "${SECRET}`,
      /^not JSON: (the text ends early, after|syntax error (at character \d+ of|in)) \d+ characters$/,
    ],
    ["text after the value", `{} ${SECRET}`, /^not JSON: syntax error (at character 3 of|in) \d+ characters$/],
  ])("describes %s by position and length without quoting it", (_what, text, expected) => {
    const message = describeParseFailure(text);
    expect(message).toMatch(expected);
    expect(message).toContain(`${text.length} characters`);
    expect(message).not.toContain(SECRET);
  });
});

describe("parseJsonBody", () => {
  it("reports a body that is not JSON as parse, without its text", () => {
    expect(parseJsonBody(`oops ${SECRET}`, z.object({}), "a thing")).toEqual({
      ok: false,
      error: { kind: "parse", message: expect.not.stringContaining(SECRET) },
    });
  });
});
