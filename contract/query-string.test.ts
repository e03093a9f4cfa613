import { describe, expect, it } from "vitest";
import { AdvisoryListQuery } from "./advisory-dto";
import { parseQueryString, toQueryString } from "./query-string";

describe("parseQueryString", () => {
  it("parses lists given with commas or as repeated parameters", () => {
    const byComma = parseQueryString(AdvisoryListQuery, new URLSearchParams("verdict=missing,delayed&major=8"));
    const repeated = parseQueryString(AdvisoryListQuery, new URLSearchParams("verdict=missing&verdict=delayed&major=8"));
    expect(byComma).toEqual(repeated);
    expect(byComma.success && byComma.data.verdict).toEqual(["missing", "delayed"]);
    expect(byComma.success && byComma.data.major).toEqual([8]);
  });

  it("rejects a misspelt parameter and names it", () => {
    const result = parseQueryString(AdvisoryListQuery, new URLSearchParams("verdcit=missing"));
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.problems).toEqual([{ parameter: "verdcit", message: expect.stringContaining("unknown parameter") }]);
    expect(result.message).toContain('"verdcit"');
  });

  it.each(["__proto__", "constructor", "prototype", "hasOwnProperty"])("rejects %s as an unknown parameter and names it", (key) => {
    const result = parseQueryString(AdvisoryListQuery, new URLSearchParams(`${key}=x&verdict=missing`));
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.problems).toEqual([{ parameter: key, message: expect.stringContaining("unknown parameter") }]);
    expect(result.message).toContain(`"${key}"`);
  });

  it("names the parameter and the value that is not allowed", () => {
    const result = parseQueryString(AdvisoryListQuery, new URLSearchParams("verdict=missing,gone"));
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.problems[0].parameter).toBe("verdict");
    expect(result.problems[0].message).toContain('(got "gone")');
  });
});

describe("toQueryString", () => {
  it("keeps commas readable and leaves out empty values", () => {
    expect(toQueryString({ verdict: ["missing", "delayed"], mirror: "git.centos.org", q: "", page: undefined, major: [8] })).toBe(
      "verdict=missing,delayed&mirror=git.centos.org&major=8",
    );
  });

  it("round-trips through parseQueryString", () => {
    const query = { verdict: ["published"], q: "RHSA-2023:3722" };
    const result = parseQueryString(AdvisoryListQuery, new URLSearchParams(toQueryString(query)));
    expect(result.success && result.data.q).toBe("RHSA-2023:3722");
  });
});
