import { describe, expect, it } from "vitest";
import { computeVerdict, type VerdictInput } from "./compute-verdict";
import type { VerdictStatus } from "./types";

const now = new Date("2024-06-10T12:00:00Z");
const hoursBefore = (hours: number, from = now) => new Date(from.getTime() - hours * 3_600_000);
const hoursAfter = (hours: number, from: Date) => new Date(from.getTime() + hours * 3_600_000);

const kernel = { name: "kernel", epoch: 0, version: "4.18.0", release: "477.27.1.el8_8", major: 8, stream: "main" as const };
const centos = { majors: [8, 9], streams: ["main" as const], expectedLagHours: 48, missingAfterHours: 168, staleAfterMinutes: 360 };

function build(release: string, seenAt: Date, overrides: Partial<VerdictInput["evidence"][number]> = {}): VerdictInput["evidence"][number] {
  return { name: "kernel", epoch: 0, version: "4.18.0", release, publishedAt: seenAt, firstSeenAt: seenAt, ...overrides };
}

function verdictFor(overrides: Partial<VerdictInput>) {
  return computeVerdict({
    now,
    issuedAt: hoursBefore(10),
    package: kernel,
    mirror: centos,
    evidence: [],
    lastSuccessfulPollAt: hoursBefore(1),
    ...overrides,
  });
}

describe("computeVerdict", () => {
  const cases: Array<[string, Partial<VerdictInput>, { status: VerdictStatus; lagSeconds: number | null; evidenceIndex: number | null }]> = [
    ["marks an update not applicable on a mirror that does not carry its major", { package: { ...kernel, major: 7, release: "1160.el7" } }, { status: "not_applicable", lagSeconds: null, evidenceIndex: null }],
    ["marks an EUS update not applicable on a mirror that carries only the main stream", { package: { ...kernel, stream: "EUS" } }, { status: "not_applicable", lagSeconds: null, evidenceIndex: null }],
    ["marks an update pending on a mirror 10 h after release", {}, { status: "pending", lagSeconds: null, evidenceIndex: null }],
    ["marks an update delayed on a mirror exactly 48 h after release", { issuedAt: hoursBefore(48) }, { status: "delayed", lagSeconds: null, evidenceIndex: null }],
    ["marks an update delayed on a mirror 100 h after release", { issuedAt: hoursBefore(100) }, { status: "delayed", lagSeconds: null, evidenceIndex: null }],
    ["marks an update missing on a mirror 168 h after release", { issuedAt: hoursBefore(168) }, { status: "missing", lagSeconds: null, evidenceIndex: null }],
    ["marks an update published with the lag from release to the tag time", { issuedAt: hoursBefore(30), evidence: [build("477.27.1.el8_8", hoursBefore(24))] }, { status: "published", lagSeconds: 6 * 3600, evidenceIndex: 0 }],
    ["uses the first-seen time when the mirror gives no publication time", { issuedAt: hoursBefore(30), evidence: [build("477.27.1.el8_8", hoursBefore(20), { publishedAt: null, firstSeenAt: hoursBefore(27) })] }, { status: "published", lagSeconds: 3 * 3600, evidenceIndex: 0 }],
    ["counts a newer build of the same stream as published", { issuedAt: hoursBefore(30), evidence: [build("477.27.2.el8_8", hoursBefore(20))] }, { status: "published", lagSeconds: 10 * 3600, evidenceIndex: 0 }],
    ["picks the oldest qualifying build as evidence", { issuedAt: hoursBefore(30), evidence: [build("477.27.2.el8_8", hoursBefore(5)), build("477.27.1.el8_8", hoursBefore(20)), build("477.13.1.el8_8", hoursBefore(29))] }, { status: "published", lagSeconds: 10 * 3600, evidenceIndex: 1 }],
    ["gives lag 0 to a build that appeared before the advisory", { issuedAt: hoursBefore(10), evidence: [build("477.27.1.el8_8", hoursBefore(12))] }, { status: "published", lagSeconds: 0, evidenceIndex: 0 }],
    ["does not count an older build", { issuedAt: hoursBefore(200), evidence: [build("477.13.1.el8_8", hoursBefore(300))] }, { status: "missing", lagSeconds: null, evidenceIndex: null }],
    ["does not count a build of another stream, even a newer one", { issuedAt: hoursBefore(200), evidence: [build("513.5.1.el8_9", hoursBefore(100)), build("477.27.1.el8", hoursBefore(100))] }, { status: "missing", lagSeconds: null, evidenceIndex: null }],
    ["does not count a build of another package", { issuedAt: hoursBefore(200), evidence: [build("477.27.1.el8_8", hoursBefore(100), { name: "kernel-rt" })] }, { status: "missing", lagSeconds: null, evidenceIndex: null }],
    ["does not count a build with a lower epoch", { issuedAt: hoursBefore(200), package: { ...kernel, epoch: 1 }, evidence: [build("477.27.9.el8_8", hoursBefore(100))] }, { status: "missing", lagSeconds: null, evidenceIndex: null }],
    ["counts a build with a higher epoch", { issuedAt: hoursBefore(200), evidence: [build("477.27.1.el8_8", hoursBefore(100), { epoch: 1, version: "1.0" })] }, { status: "published", lagSeconds: 100 * 3600, evidenceIndex: 0 }],
    ["matches a modular build of the same minor", { issuedAt: hoursBefore(30), package: { ...kernel, name: "ruby", version: "3.1.4", release: "142.module+el8.9.0+21471+7d1e4a35" }, evidence: [build("142.module+el8.9.0+21471+7d1e4a35", hoursBefore(29), { name: "ruby", version: "3.1.4" })] }, { status: "published", lagSeconds: 3600, evidenceIndex: 0 }],
    ["marks an update unknown when the mirror was never polled", { lastSuccessfulPollAt: null }, { status: "unknown", lagSeconds: null, evidenceIndex: null }],
    ["marks an update unknown when the last poll is older than 360 min", { issuedAt: hoursBefore(200), lastSuccessfulPollAt: hoursBefore(6.01) }, { status: "unknown", lagSeconds: null, evidenceIndex: null }],
    ["still trusts a poll exactly 360 min old", { issuedAt: hoursBefore(200), lastSuccessfulPollAt: hoursBefore(6) }, { status: "missing", lagSeconds: null, evidenceIndex: null }],
    ["keeps an update published when polls have gone stale", { issuedAt: hoursBefore(200), lastSuccessfulPollAt: hoursBefore(100), evidence: [build("477.27.1.el8_8", hoursAfter(2, hoursBefore(200)))] }, { status: "published", lagSeconds: 2 * 3600, evidenceIndex: 0 }],
    ["prefers not applicable over unknown for a major the mirror does not carry", { package: { ...kernel, major: 10, release: "1.el10" }, lastSuccessfulPollAt: null }, { status: "not_applicable", lagSeconds: null, evidenceIndex: null }],
  ];

  it.each(cases)("%s", (_behaviour, overrides, expected) => {
    expect(verdictFor(overrides)).toEqual(expected);
  });
});

describe("computeVerdict with builds whose epoch the mirror does not say", () => {
  const now = new Date("2023-06-20T00:00:00Z");
  const issuedAt = new Date("2023-05-16T19:27:21Z");
  const mirror = { majors: [8], streams: ["main" as const], expectedLagHours: 48, missingAfterHours: 168, staleAfterMinutes: 360 };
  const pkg = { name: "bind9.16", epoch: 32, version: "9.16.23", release: "0.14.el8", major: 8, stream: "main" as const };
  const tag = { name: "bind9.16", epoch: null, version: "9.16.23", release: "0.14.el8", publishedAt: new Date("2023-05-16T22:24:07Z"), firstSeenAt: now };

  it("takes a git tag's unknown epoch to be the package's and marks it published", () => {
    expect(computeVerdict({ now, issuedAt, package: pkg, mirror, evidence: [tag], lastSuccessfulPollAt: now })).toEqual({
      status: "published",
      lagSeconds: 10606,
      evidenceIndex: 0,
    });
  });

  it("still refuses a build whose known epoch is lower", () => {
    const verdict = computeVerdict({ now, issuedAt, package: pkg, mirror, evidence: [{ ...tag, epoch: 0 }], lastSuccessfulPollAt: now });
    expect(verdict.status).toBe("missing");
  });
});
