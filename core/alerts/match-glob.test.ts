import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileGlob, matchGlob, type GlobStepCounter } from "./match-glob";

/** The backtracking translation the matcher replaces: right by construction, exponential on hostile input. */
function matchWithRegExp(pattern: string, text: string): boolean {
  const source = pattern
    .replace(/[.+-]/g, (c) => `\\${c}`)
    .replaceAll("*", ".*")
    .replaceAll("?", ".");
  return new RegExp(`^${source}$`).test(text);
}

const REALISTIC_NAMES = [
  "kernel",
  "kernel-rt",
  "openssl",
  "glibc",
  "python3.11-setuptools",
  "java-17-openjdk",
  "perl-IO-Socket-SSL",
  "NetworkManager-libreswan",
  "xorg-x11-server-Xwayland",
  "libstdc++",
  "a",
  "",
];

function countSteps(pattern: string, text: string): number {
  const counter: GlobStepCounter = { steps: 0 };
  matchGlob(pattern, text, counter);
  return counter.steps;
}

describe("matchGlob", () => {
  it.each([
    ["kernel", "kernel", true],
    ["kernel", "kernel-rt", false],
    ["kernel", "Kernel", false],
    ["kernel*", "kernel", true],
    ["kernel*", "kernel-rt", true],
    ["*ssl", "openssl", true],
    ["*ssl", "openssl-libs", false],
    ["open?sl", "openssl", true],
    ["open?sl", "opensl", false],
    ["?", "", false],
    ["*", "", true],
    ["", "", true],
    ["", "a", false],
    ["python3.*-setuptools", "python3.11-setuptools", true],
    ["python3.*-setuptools", "python3-setuptools", false],
    ["libstdc++", "libstdc++", true],
    ["*-*-*", "java-17-openjdk", true],
    ["*-*-*-*", "java-17-openjdk", false],
    ["**a**b**", "xaxxbx", true],
    ["a*b*c", "abxbxc", true],
    ["a*b*c", "abxbxcx", false],
  ])("matches %j against %j: %s", (pattern, text, expected) => {
    expect(matchGlob(pattern, text)).toBe(expected);
  });

  it("agrees with the backtracking RegExp translation on any pattern and name", () => {
    const unit = fc.constantFrom("a", "b", "-", ".", "+");
    fc.assert(
      fc.property(
        fc.string({ unit: fc.oneof(unit, fc.constantFrom("*", "?")), maxLength: 10 }),
        fc.string({ unit, maxLength: 14 }),
        (pattern, text) => {
          expect(matchGlob(pattern, text)).toBe(matchWithRegExp(pattern, text));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("never takes more than (pattern length + 1) × (name length + 1) steps", () => {
    const unit = fc.constantFrom("a", "b", "X");
    fc.assert(
      fc.property(
        fc.string({ unit: fc.oneof(unit, fc.constantFrom("*", "?")), maxLength: 100 }),
        fc.string({ unit, maxLength: 120 }),
        (pattern, text) => {
          expect(countSteps(pattern, text)).toBeLessThanOrEqual((pattern.length + 1) * (text.length + 1));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("matches the ReDoS pattern (32 or 99 stars, then X) in a few steps per character of the name", () => {
    for (const pattern of [`${"*".repeat(32)}X`, `${"*".repeat(99)}X`]) {
      for (const name of REALISTIC_NAMES) {
        expect(matchGlob(pattern, name)).toBe(false);
        expect(countSteps(pattern, name)).toBeLessThanOrEqual(2 * name.length + 2);
      }
    }
  });

  it("keeps the worst 100-character pattern under 100,000 steps against a 255-character name", () => {
    const name = "a".repeat(255);
    const worst = [`*${"a".repeat(98)}b`, `${"*a".repeat(49)}*b`, `${"*?".repeat(49)}*b`, `${"?".repeat(99)}*`];
    for (const pattern of worst) {
      expect(pattern.length).toBeLessThanOrEqual(100);
      expect(countSteps(pattern, name)).toBeLessThanOrEqual(101 * 256);
    }
  });

  it("adds its steps to a counter shared by several matches", () => {
    const counter: GlobStepCounter = { steps: 0 };
    const matcher = compileGlob("kernel*");
    matcher("kernel-rt", counter);
    const afterOne = counter.steps;
    matcher("kernel-rt", counter);
    expect(afterOne).toBeGreaterThan(0);
    expect(counter.steps).toBe(2 * afterOne);
  });
});
