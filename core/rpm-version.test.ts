import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareEvr, compareRpmVersion } from "./rpm-version";

// Most rows come from rpm's own test suite (tests/rpmvercmp.at); the rest are RHEL-shaped releases.
const versionCases: Array<[string, string, -1 | 0 | 1]> = [
  ["1.0", "1.0", 0],
  ["1.0", "2.0", -1],
  ["2.0.1", "2.0", 1],
  ["2.0.1a", "2.0.1", 1],
  ["5.5p1", "5.5p2", -1],
  ["5.5p1", "5.5p10", -1],
  ["10xyz", "10.1xyz", -1],
  ["xyz10", "xyz10.1", -1],
  ["xyz.4", "8", -1],
  ["xyz.4", "2", -1],
  ["5.5p2", "5.6p1", -1],
  ["5.6p1", "6.5p1", -1],
  ["6.0.rc1", "6.0", 1],
  ["10b2", "10a1", 1],
  ["10a2", "10b2", -1],
  ["1.0a", "1.0aa", -1],
  ["10.0001", "10.1", 0],
  ["10.0001", "10.0039", -1],
  ["4.999.9", "5.0", -1],
  ["20101121", "20101122", -1],
  ["2.0", "2_0", 0],
  ["a+", "a_", 0],
  ["+_", "_+", 0],
  ["+", "_", 0],
  ["1.0~rc1", "1.0", -1],
  ["1.0~rc1", "1.0~rc2", -1],
  ["1.0~rc1~git123", "1.0~rc1", -1],
  ["1.0^", "1.0", 1],
  ["1.0^git1", "1.0", 1],
  ["1.0^git1", "1.0^git2", -1],
  ["1.0^git1", "1.01", -1],
  ["1.0^20160101", "1.0.1", -1],
  ["1.0^20160102", "1.0^20160101^git1", 1],
  ["1.0~rc1^git1", "1.0~rc1", 1],
  ["1.0^git1~pre", "1.0^git1", -1],
  ["1.0a", "1.0.1", -1],
  ["1.0", "1.0a", -1],
  ["A", "a", -1],
  // RHEL-shaped releases
  ["4.el8_10", "4.el8_9", 1],
  ["4.el8_6", "4.el8", 1],
  ["477.27.1.el8_8", "477.27.2.el8_8", -1],
  ["553.el8_10", "513.24.1.el8_9", 1],
  ["0.68.rc1.el6_10.17", "0.68.rc1.el6_10.16", 1],
  ["3.el9_3.3", "3.el9_3.10", -1],
  ["142.module+el8.9.0+21471+7d1e4a35", "142.module+el8.10.0+22000+abcdef12", -1],
  ["139.module+el8.8.0+18745+f1bef313", "139.module+el8.8.0+18745+f1bef313", 0],
  ["65.0.1.module+el8.10.0+90356+f7b9d583", "65.module+el8.10.0+90356+f7b9d583", 1],
  ["1.el9", "1.el9.alma.1", -1],
  ["3.0.7", "3.0.7~beta1", 1],
  ["1.1.1k", "1.1.1l", -1],
  ["9.18.33", "9.18.4", 1],
];

describe("compareRpmVersion", () => {
  it.each(versionCases)("orders %s against %s as %i, and the reverse as its negation", (a, b, expected) => {
    expect(compareRpmVersion(a, b)).toBe(expected);
    expect(compareRpmVersion(b, a)).toBe(expected === 0 ? 0 : -expected);
  });

  const version = fc
    .array(fc.constantFrom("0", "1", "2", "9", "10", "00", "a", "b", "rc", "Z", ".", "_", "+", "~", "^"), { maxLength: 7 })
    .map((parts) => parts.join(""));

  it("is reflexive", () => {
    fc.assert(fc.property(version, (a) => compareRpmVersion(a, a) === 0));
  });

  it("is antisymmetric", () => {
    fc.assert(fc.property(version, version, (a, b) => compareRpmVersion(a, b) + compareRpmVersion(b, a) === 0));
  });

  it("is transitive (every pair of a sorted list stays ordered)", () => {
    fc.assert(
      fc.property(fc.array(version, { minLength: 3, maxLength: 12 }), (list) => {
        const sorted = [...list].sort(compareRpmVersion);
        for (let i = 0; i < sorted.length; i++) {
          for (let j = i + 1; j < sorted.length; j++) {
            if (compareRpmVersion(sorted[i], sorted[j]) > 0) return false;
          }
        }
        return true;
      }),
      { numRuns: 500 },
    );
  });

  it("treats equal-comparing versions as an equivalence (transitive equality)", () => {
    fc.assert(
      fc.property(version, version, version, (a, b, c) => {
        if (compareRpmVersion(a, b) === 0 && compareRpmVersion(b, c) === 0) return compareRpmVersion(a, c) === 0;
        return true;
      }),
    );
  });
});

describe("compareEvr", () => {
  it("orders 4.18.0-477.27.1.el8_8 before 4.18.0-477.27.2.el8_8", () => {
    expect(
      compareEvr({ epoch: 0, version: "4.18.0", release: "477.27.1.el8_8" }, { epoch: 0, version: "4.18.0", release: "477.27.2.el8_8" }),
    ).toBe(-1);
  });

  it("treats a missing epoch as 0", () => {
    expect(compareEvr({ version: "1.0", release: "1" }, { epoch: 0, version: "1.0", release: "1" })).toBe(0);
    expect(compareEvr({ epoch: null, version: "2.0", release: "1" }, { epoch: 1, version: "1.0", release: "1" })).toBe(-1);
  });

  it("compares the release only when versions are equal", () => {
    expect(compareEvr({ epoch: 0, version: "1.1", release: "1.el8" }, { epoch: 0, version: "1.0", release: "9.el8_9" })).toBe(1);
  });

  it("lets a higher epoch win whatever the version and release", () => {
    const part = fc.stringMatching(/^[0-9a-z.~^_]{0,8}$/);
    fc.assert(
      fc.property(fc.nat(40), fc.nat(40), part, part, part, part, (epochA, epochB, versionA, versionB, releaseA, releaseB) => {
        fc.pre(epochA !== epochB);
        const result = compareEvr(
          { epoch: epochA, version: versionA, release: releaseA },
          { epoch: epochB, version: versionB, release: releaseB },
        );
        return result === (epochA > epochB ? 1 : -1);
      }),
    );
  });

  it("is antisymmetric over whole EVRs", () => {
    const evr = fc.record({
      epoch: fc.nat(3),
      version: fc.stringMatching(/^[0-9a-z.~^]{0,6}$/),
      release: fc.stringMatching(/^[0-9a-z._]{0,6}$/),
    });
    fc.assert(fc.property(evr, evr, (a, b) => compareEvr(a, b) + compareEvr(b, a) === 0));
  });
});
