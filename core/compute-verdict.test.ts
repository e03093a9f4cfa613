import { describe, expect, it } from "vitest";
import { choosePublicationTime, computeVerdict, type PublicationTime, type VerdictInput } from "./compute-verdict";
import type { MatchOutcome } from "./match-build";
import type { VerdictStatus } from "./types";

const now = new Date("2024-06-10T12:00:00Z");
const hoursBefore = (hours: number, from = now) => new Date(from.getTime() - hours * 3_600_000);
const hoursAfter = (hours: number, from: Date) => new Date(from.getTime() + hours * 3_600_000);

const kernel = { name: "kernel", epoch: 0, version: "4.18.0", release: "477.27.1.el8_8", major: 8, stream: "main" as const };
const centos = {
  majors: [8, 9],
  streams: ["main" as const],
  expectedLagHours: 48,
  missingAfterHours: 168,
  staleAfterMinutes: 360,
  relation: "exact" as const,
};

function build(release: string, seenAt: Date, overrides: Partial<VerdictInput["evidence"][number]> = {}): VerdictInput["evidence"][number] {
  return {
    name: "kernel",
    epoch: 0,
    version: "4.18.0",
    release,
    publishedAt: seenAt,
    publishedAtOrigin: "tagger_date",
    firstSeenAt: seenAt,
    lastAbsentAt: hoursBefore(1000),
    ...overrides,
  };
}

function verdictFor(overrides: Partial<VerdictInput>) {
  return computeVerdict({
    now,
    issuedAt: hoursBefore(10),
    package: kernel,
    mirror: centos,
    evidence: [],
    lastSuccessfulPollAt: hoursBefore(1),
    checkedAt: hoursBefore(1),
    recordedAt: hoursBefore(2),
    ...overrides,
  });
}

describe("computeVerdict", () => {
  const cases: Array<
    [
      string,
      Partial<VerdictInput>,
      { status: VerdictStatus; lagSeconds: number | null; evidenceIndex: number | null; match: MatchOutcome | null },
    ]
  > = [
    [
      "marks an update not applicable on a mirror that does not carry its major",
      { package: { ...kernel, major: 7, release: "1160.el7" } },
      { status: "not_applicable", lagSeconds: null, evidenceIndex: null, match: null },
    ],
    [
      "marks an EUS update not applicable on a mirror that carries only the main stream",
      { package: { ...kernel, stream: "EUS" } },
      { status: "not_applicable", lagSeconds: null, evidenceIndex: null, match: null },
    ],
    [
      "marks an update pending on a mirror 10 h after release",
      {},
      { status: "pending", lagSeconds: null, evidenceIndex: null, match: null },
    ],
    [
      "marks an update delayed on a mirror exactly 48 h after release",
      { issuedAt: hoursBefore(48) },
      { status: "delayed", lagSeconds: null, evidenceIndex: null, match: null },
    ],
    [
      "marks an update delayed on a mirror 100 h after release",
      { issuedAt: hoursBefore(100) },
      { status: "delayed", lagSeconds: null, evidenceIndex: null, match: null },
    ],
    [
      "marks an update missing on a mirror 168 h after release",
      { issuedAt: hoursBefore(168) },
      { status: "missing", lagSeconds: null, evidenceIndex: null, match: null },
    ],
    [
      "marks an update published with the lag from release to the tag time",
      { issuedAt: hoursBefore(30), evidence: [build("477.27.1.el8_8", hoursBefore(24))] },
      { status: "published", lagSeconds: 6 * 3600, evidenceIndex: 0, match: "exact" },
    ],
    [
      "uses the first-seen time when the mirror gives no publication time",
      {
        issuedAt: hoursBefore(30),
        evidence: [build("477.27.1.el8_8", hoursBefore(20), { publishedAt: null, firstSeenAt: hoursBefore(27) })],
      },
      { status: "published", lagSeconds: 3 * 3600, evidenceIndex: 0, match: "exact" },
    ],
    [
      "counts a newer build of the same stream as published",
      { issuedAt: hoursBefore(30), evidence: [build("477.27.2.el8_8", hoursBefore(20))] },
      { status: "published", lagSeconds: 10 * 3600, evidenceIndex: 0, match: "newer" },
    ],
    [
      "picks the oldest qualifying build as evidence",
      {
        issuedAt: hoursBefore(30),
        evidence: [
          build("477.27.2.el8_8", hoursBefore(5)),
          build("477.27.1.el8_8", hoursBefore(20)),
          build("477.13.1.el8_8", hoursBefore(29)),
        ],
      },
      { status: "published", lagSeconds: 10 * 3600, evidenceIndex: 1, match: "exact" },
    ],
    [
      "gives lag 0 to a build that appeared before the advisory",
      { issuedAt: hoursBefore(10), evidence: [build("477.27.1.el8_8", hoursBefore(12))] },
      { status: "published", lagSeconds: 0, evidenceIndex: 0, match: "exact" },
    ],
    [
      "does not count an older build",
      { issuedAt: hoursBefore(200), evidence: [build("477.13.1.el8_8", hoursBefore(300))] },
      { status: "missing", lagSeconds: null, evidenceIndex: null, match: "older" },
    ],
    [
      "does not count a build of another stream, even a newer one",
      { issuedAt: hoursBefore(200), evidence: [build("513.5.1.el8_9", hoursBefore(100)), build("477.27.1.el8", hoursBefore(100))] },
      { status: "missing", lagSeconds: null, evidenceIndex: null, match: "different_stream" },
    ],
    [
      "does not count a build of another package",
      { issuedAt: hoursBefore(200), evidence: [build("477.27.1.el8_8", hoursBefore(100), { name: "kernel-rt" })] },
      { status: "missing", lagSeconds: null, evidenceIndex: null, match: null },
    ],
    [
      "does not count a build with a lower epoch",
      { issuedAt: hoursBefore(200), package: { ...kernel, epoch: 1 }, evidence: [build("477.27.9.el8_8", hoursBefore(100))] },
      { status: "missing", lagSeconds: null, evidenceIndex: null, match: "older" },
    ],
    [
      "counts a build with a higher epoch",
      { issuedAt: hoursBefore(200), evidence: [build("477.27.1.el8_8", hoursBefore(100), { epoch: 1, version: "1.0" })] },
      { status: "published", lagSeconds: 100 * 3600, evidenceIndex: 0, match: "newer" },
    ],
    [
      "matches a modular build of the same minor",
      {
        issuedAt: hoursBefore(30),
        package: { ...kernel, name: "ruby", version: "3.1.4", release: "142.module+el8.9.0+21471+7d1e4a35" },
        evidence: [build("142.module+el8.9.0+21471+7d1e4a35", hoursBefore(29), { name: "ruby", version: "3.1.4" })],
      },
      { status: "published", lagSeconds: 3600, evidenceIndex: 0, match: "exact" },
    ],
    [
      "marks an update unknown when the mirror was never polled",
      { lastSuccessfulPollAt: null },
      { status: "unknown", lagSeconds: null, evidenceIndex: null, match: null },
    ],
    [
      "marks an update unknown when the last poll is older than 360 min",
      { issuedAt: hoursBefore(200), lastSuccessfulPollAt: hoursBefore(6.01) },
      { status: "unknown", lagSeconds: null, evidenceIndex: null, match: null },
    ],
    [
      "still trusts a poll exactly 360 min old",
      { issuedAt: hoursBefore(200), lastSuccessfulPollAt: hoursBefore(6) },
      { status: "missing", lagSeconds: null, evidenceIndex: null, match: null },
    ],
    [
      "keeps an update published when polls have gone stale",
      {
        issuedAt: hoursBefore(200),
        lastSuccessfulPollAt: hoursBefore(100),
        evidence: [build("477.27.1.el8_8", hoursAfter(2, hoursBefore(200)))],
      },
      { status: "published", lagSeconds: 2 * 3600, evidenceIndex: 0, match: "exact" },
    ],
    [
      "prefers not applicable over unknown for a major the mirror does not carry",
      { package: { ...kernel, major: 10, release: "1.el10" }, lastSuccessfulPollAt: null },
      { status: "not_applicable", lagSeconds: null, evidenceIndex: null, match: null },
    ],
  ];

  // Every row measures the lag to its evidence, from a believable time.
  it.each(cases)("%s", (_behaviour, overrides, expected) => {
    const verdict = verdictFor(overrides);
    expect({ ...verdict, match: verdict.match?.outcome ?? null }).toMatchObject({
      ...expected,
      lagEvidenceIndex: expected.evidenceIndex,
      isTimeSuspect: false,
    });
  });
});

describe("computeVerdict with builds whose epoch the mirror does not say", () => {
  const now = new Date("2023-06-20T00:00:00Z");
  const issuedAt = new Date("2023-05-16T19:27:21Z");
  const mirror = {
    majors: [8],
    streams: ["main" as const],
    expectedLagHours: 48,
    missingAfterHours: 168,
    staleAfterMinutes: 360,
    relation: "exact" as const,
  };
  const pkg = { name: "bind9.16", epoch: 32, version: "9.16.23", release: "0.14.el8", major: 8, stream: "main" as const };
  const tag = {
    name: "bind9.16",
    epoch: null,
    version: "9.16.23",
    release: "0.14.el8",
    publishedAt: new Date("2023-05-16T22:24:07Z"),
    publishedAtOrigin: "tagger_date" as const,
    firstSeenAt: now,
    lastAbsentAt: null,
  };

  it("takes a git tag's unknown epoch to be the package's and marks it published", () => {
    expect(
      computeVerdict({ now, issuedAt, package: pkg, mirror, evidence: [tag], lastSuccessfulPollAt: now, checkedAt: now, recordedAt: null }),
    ).toEqual({
      status: "published",
      statusReason: null,
      lagSeconds: 10606,
      publishedAt: new Date("2023-05-16T22:24:07Z"),
      lagTimeOrigin: "tagger_date",
      evidenceIndex: 0,
      lagEvidenceIndex: 0,
      isTimeSuspect: false,
      match: { outcome: "exact", reason: "Same build 32:9.16.23-0.14.el8 (the mirror does not give the epoch).", order: 0 },
    });
  });

  it("still refuses a build whose known epoch is lower", () => {
    const verdict = computeVerdict({
      now,
      issuedAt,
      package: pkg,
      mirror,
      evidence: [{ ...tag, epoch: 0 }],
      lastSuccessfulPollAt: now,
      checkedAt: now,
      recordedAt: null,
    });
    expect(verdict.status).toBe("missing");
    expect(verdict.match).toMatchObject({
      outcome: "epoch_mismatch",
      reason: "Same version 9.16.23-0.14.el8 but epoch 0 instead of 32.",
      order: -1,
    });
  });

  it("counts a build whose known epoch is higher, flagged as an epoch mismatch", () => {
    const verdict = computeVerdict({
      now,
      issuedAt,
      package: pkg,
      mirror,
      evidence: [{ ...tag, epoch: 33 }],
      lastSuccessfulPollAt: now,
      checkedAt: now,
      recordedAt: null,
    });
    expect(verdict).toMatchObject({ status: "published", evidenceIndex: 0, match: { outcome: "epoch_mismatch", order: 1 } });
  });
});

describe("computeVerdict with rebuilds and related mirrors", () => {
  const issuedAt = hoursBefore(200);
  const seenAt = hoursBefore(190);
  const httpd = {
    name: "httpd",
    epoch: 0,
    version: "2.4.37",
    release: "65.module+el8.10.0+21982+14717793",
    major: 8,
    stream: "main" as const,
  };
  const streamKernel = { ...kernel, version: "5.14.0", release: "284.30.1.el9_2", major: 9 };
  const centosStream = { ...centos, relation: "related" as const };

  function decide(overrides: Partial<VerdictInput>) {
    return verdictFor({ issuedAt, ...overrides });
  }

  it("counts an AlmaLinux .alma.1 rebuild as published, as an equivalent build", () => {
    const verdict = decide({ evidence: [build("477.27.1.el8_8.alma.1", seenAt, { epoch: null })] });
    expect(verdict).toMatchObject({ status: "published", lagSeconds: 10 * 3600, evidenceIndex: 0, match: { outcome: "equivalent" } });
    expect(verdict.match?.reason).toBe("Same build, AlmaLinux suffix .alma.1.");
  });

  it("counts an Oracle .0.1 rebuild as published, as an equivalent build", () => {
    const verdict = decide({ evidence: [build("477.27.1.0.1.el8_8", seenAt)] });
    expect(verdict).toMatchObject({
      status: "published",
      evidenceIndex: 0,
      match: { outcome: "equivalent", reason: "Same build, Oracle rebuild suffix .0.1." },
    });
  });

  it("counts an Oracle modular rebuild with its own build context as published", () => {
    const verdict = decide({
      package: httpd,
      evidence: [build("65.0.1.module+el8.10.0+90356+f7b9d583", seenAt, { name: "httpd", version: "2.4.37" })],
    });
    expect(verdict.status).toBe("published");
    expect(verdict.match?.reason).toBe("Same build, Oracle rebuild suffix .0.1 and module build context +90356+f7b9d583.");
  });

  it("counts an AlmaLinux modular build (.module_el…) as published", () => {
    const verdict = decide({
      package: httpd,
      evidence: [build("65.module_el8.10.0+3874+e2a1a6d9", seenAt, { name: "httpd", version: "2.4.37" })],
    });
    expect(verdict).toMatchObject({
      status: "published",
      match: { outcome: "equivalent", reason: "Same build, module build context +3874+e2a1a6d9." },
    });
  });

  it("names the exact build as evidence and measures the lag to an equivalent rebuild that appeared first", () => {
    const evidence = [build("477.27.1.el8_8", hoursBefore(100)), build("477.27.1.el8_8.alma.1", hoursBefore(150))];
    expect(decide({ evidence })).toMatchObject({
      status: "published",
      lagSeconds: 50 * 3600,
      evidenceIndex: 0,
      lagEvidenceIndex: 1,
      match: { outcome: "exact" },
    });
  });

  it("counts a newer CentOS Stream build on a related mirror as a related source", () => {
    const verdict = decide({
      package: streamKernel,
      mirror: centosStream,
      evidence: [build("362.8.1.el9", seenAt, { version: "5.14.0", epoch: null })],
    });
    expect(verdict).toMatchObject({
      status: "published",
      lagSeconds: 10 * 3600,
      evidenceIndex: 0,
      match: { outcome: "different_stream", order: 1 },
    });
    expect(verdict.match?.reason).toBe("Different stream: the build 5.14.0-362.8.1.el9 is el9, the package el9_2; the build is newer.");
  });

  it("does not count the same Stream build on an exact mirror, but shows it", () => {
    const verdict = decide({ package: streamKernel, evidence: [build("362.8.1.el9", seenAt, { version: "5.14.0" })] });
    expect(verdict).toMatchObject({ status: "missing", evidenceIndex: null, match: { outcome: "different_stream", order: 1 } });
  });

  it("does not count an older CentOS Stream build on a related mirror", () => {
    const verdict = decide({
      package: streamKernel,
      mirror: centosStream,
      evidence: [build("284.11.1.el9", seenAt, { version: "5.14.0" })],
    });
    expect(verdict).toMatchObject({ status: "missing", match: { outcome: "different_stream", order: -1 } });
  });

  it("counts an identical GA build on CentOS Stream as exact", () => {
    const ga = { ...kernel, name: "python3.9", version: "3.9.19", release: "8.el9", major: 9 };
    const verdict = decide({
      package: ga,
      mirror: centosStream,
      evidence: [build("8.el9", seenAt, { name: "python3.9", version: "3.9.19", epoch: null })],
    });
    expect(verdict).toMatchObject({ status: "published", match: { outcome: "exact" } });
  });

  it("keeps an update missing when only an older build is found, and says which", () => {
    const verdict = decide({ evidence: [build("477.13.1.el8_8", hoursBefore(300))] });
    expect(verdict).toMatchObject({ status: "missing", lagSeconds: null, evidenceIndex: null });
    expect(verdict.match).toEqual({ outcome: "older", reason: "Older build 4.18.0-477.13.1.el8_8 than 4.18.0-477.27.1.el8_8.", order: -1 });
  });

  it("shows the closest build: same stream before another stream, the newest first", () => {
    const evidence = [
      build("513.5.1.el8_9", hoursBefore(100)),
      build("477.10.1.el8_8", hoursBefore(400)),
      build("477.13.1.0.1.el8_8", hoursBefore(300)),
    ];
    expect(decide({ evidence }).match?.reason).toBe("Older build 4.18.0-477.13.1.0.1.el8_8 than 4.18.0-477.27.1.el8_8.");
  });

  it("shows the closest build while pending and when polls have gone stale", () => {
    const evidence = [build("477.13.1.el8_8", hoursBefore(300))];
    expect(verdictFor({ evidence }).match?.outcome).toBe("older");
    expect(decide({ evidence, lastSuccessfulPollAt: null })).toMatchObject({ status: "unknown", match: { outcome: "older" } });
  });

  it("does not count an Oracle FIPS build of the same version", () => {
    const gnutls = { ...kernel, name: "gnutls", version: "3.6.16", release: "4.el8" };
    const verdict = decide({
      package: gnutls,
      evidence: [build("4.0.1.el8_fips", seenAt, { name: "gnutls", version: "3.6.16", epoch: 10 })],
    });
    expect(verdict).toMatchObject({ status: "missing", match: { outcome: "different_stream" } });
    expect(verdict.match?.reason).toMatch(/el8_fips/);
  });
});

describe("computeVerdict choosing among builds that carry the fix", () => {
  const issuedAt = hoursBefore(200);
  const firefox = { name: "firefox", epoch: 0, version: "115.7.0", release: "1.el8_9", major: 8, stream: "main" as const };
  const firefoxBuild = (version: string, release: string, seenAt: Date) =>
    build(release, seenAt, { name: "firefox", version, epoch: null });
  const bulkImportAt = hoursBefore(190);

  const cases: Array<
    [
      string,
      { package?: VerdictInput["package"]; evidence: VerdictInput["evidence"] },
      { lagSeconds: number; evidenceIndex: number; lagEvidenceIndex: number; match: MatchOutcome },
    ]
  > = [
    [
      "exact, equivalent and newer builds sharing one time: the exact one, for evidence and lag",
      {
        evidence: [
          build("477.27.2.el8_8", bulkImportAt),
          build("477.27.1.el8_8.alma.1", bulkImportAt),
          build("477.27.1.el8_8", bulkImportAt),
        ],
      },
      { lagSeconds: 10 * 3600, evidenceIndex: 2, lagEvidenceIndex: 2, match: "exact" },
    ],
    [
      "a newer build that appeared first: the lag to it, the exact build named as evidence",
      { evidence: [build("477.27.1.el8_8", hoursBefore(150)), build("477.27.2.el8_8", hoursBefore(180))] },
      { lagSeconds: 20 * 3600, evidenceIndex: 0, lagEvidenceIndex: 1, match: "exact" },
    ],
    [
      "an equivalent rebuild and an earlier newer build: the rebuild as evidence, the lag to the newer build",
      { evidence: [build("477.27.1.el8_8.alma.1", hoursBefore(150)), build("477.27.2.el8_8", hoursBefore(180))] },
      { lagSeconds: 20 * 3600, evidenceIndex: 0, lagEvidenceIndex: 1, match: "equivalent" },
    ],
    [
      "firefox-115.7.0 and 115.10.0 imported in one minute, listed in tag string order: the exact 115.7.0",
      { package: firefox, evidence: [firefoxBuild("115.10.0", "1.el8_9", bulkImportAt), firefoxBuild("115.7.0", "1.el8_9", bulkImportAt)] },
      { lagSeconds: 10 * 3600, evidenceIndex: 1, lagEvidenceIndex: 1, match: "exact" },
    ],
    [
      "only newer builds sharing one time: the lowest sufficient version in rpm order, not the first tag string",
      {
        package: { ...firefox, version: "115.6.0" },
        evidence: [firefoxBuild("115.10.0", "1.el8_9", bulkImportAt), firefoxBuild("115.7.0", "1.el8_9", bulkImportAt)],
      },
      { lagSeconds: 10 * 3600, evidenceIndex: 1, lagEvidenceIndex: 1, match: "newer" },
    ],
    [
      "two newer rebuilds sharing one time: the lower rebuild number",
      { evidence: [build("477.27.2.0.2.el8_8", bulkImportAt), build("477.27.2.0.1.el8_8", bulkImportAt)] },
      { lagSeconds: 10 * 3600, evidenceIndex: 1, lagEvidenceIndex: 1, match: "newer" },
    ],
  ];

  it.each(cases)("%s", (_behaviour, overrides, expected) => {
    const verdict = verdictFor({ issuedAt, ...overrides });
    expect({ ...verdict, match: verdict.match?.outcome }).toMatchObject({ status: "published", isTimeSuspect: false, ...expected });
  });

  it.each(cases)("chooses the same builds whatever order the mirror lists them in: %s", (_behaviour, overrides, expected) => {
    const reversed = [...overrides.evidence].reverse();
    const last = reversed.length - 1;
    const verdict = verdictFor({ issuedAt, ...overrides, evidence: reversed });
    expect(verdict).toMatchObject({ evidenceIndex: last - expected.evidenceIndex, lagEvidenceIndex: last - expected.lagEvidenceIndex });
  });
});

describe("choosePublicationTime", () => {
  const issuedAt = new Date("2024-06-01T00:00:00Z");
  const firstSeenAt = new Date("2024-06-03T00:00:00Z");
  const daysBefore = (days: number) => new Date(issuedAt.getTime() - days * 86_400_000);
  const published = (at: Date): PublicationTime => ({ at, source: "published", isSuspect: false, origin: "tagger_date" });
  const suspect: PublicationTime = { at: firstSeenAt, source: "first_seen", isSuspect: true, origin: "first_seen" };

  const cases: Array<[string, Date | null, number | undefined, PublicationTime]> = [
    [
      "uses our first sight when the mirror gives no time",
      null,
      undefined,
      { at: firstSeenAt, source: "first_seen", isSuspect: false, origin: "first_seen" },
    ],
    [
      "believes a time between the release and our first sight",
      new Date("2024-06-02T10:00:00Z"),
      undefined,
      published(new Date("2024-06-02T10:00:00Z")),
    ],
    ["believes a time equal to our first sight", firstSeenAt, undefined, published(firstSeenAt)],
    ["believes an embargoed import three weeks before the release", daysBefore(21), undefined, published(daysBefore(21))],
    ["believes a time 365 days before the release", daysBefore(365), undefined, published(daysBefore(365))],
    ["doubts a time more than 365 days before the release", daysBefore(366), undefined, suspect],
    [
      "believes a time up to five minutes after our first sight (clocks differ a little)",
      new Date(firstSeenAt.getTime() + 300_000),
      undefined,
      published(new Date(firstSeenAt.getTime() + 300_000)),
    ],
    [
      "doubts a time more than five minutes after our first sight (the mirror's clock is ahead)",
      new Date(firstSeenAt.getTime() + 301_000),
      undefined,
      suspect,
    ],
    ["doubts a time in 1970 (a reset clock)", new Date(0), undefined, suspect],
    ["follows the mirror's configured limit", daysBefore(21), 14, suspect],
  ];

  it.each(cases)("%s", (_behaviour, publishedAt, limitDays, expected) => {
    expect(
      choosePublicationTime(
        { publishedAt, publishedAtOrigin: "tagger_date", firstSeenAt, lastAbsentAt: daysBefore(1) },
        issuedAt,
        limitDays,
      ),
    ).toEqual(expected);
  });

  it("calls a first sight at our first look 'before tracking', with or without a doubted mirror time", () => {
    expect(choosePublicationTime({ publishedAt: null, firstSeenAt, lastAbsentAt: null }, issuedAt)).toMatchObject({
      origin: "before_tracking",
      isSuspect: false,
    });
    expect(
      choosePublicationTime({ publishedAt: new Date(0), publishedAtOrigin: "commit_date", firstSeenAt, lastAbsentAt: null }, issuedAt),
    ).toMatchObject({ origin: "before_tracking", isSuspect: true });
  });

  it("believes a mirror time even for a build there at our first look, and keeps its origin", () => {
    const at = new Date("2024-06-02T10:00:00Z");
    expect(
      choosePublicationTime({ publishedAt: at, publishedAtOrigin: "erratum_date", firstSeenAt, lastAbsentAt: null }, issuedAt),
    ).toEqual({ at, source: "published", isSuspect: false, origin: "erratum_date" });
    expect(choosePublicationTime({ publishedAt: at, publishedAtOrigin: null, firstSeenAt, lastAbsentAt: null }, issuedAt)).toMatchObject({
      origin: "mirror",
    });
  });
});

describe("computeVerdict: never an invented lag, never an unasked missing", () => {
  const issuedAt = hoursBefore(400);
  const firstLook = (publishedAt: Date | null) =>
    build("477.27.1.el8_8", hoursBefore(2), { publishedAt, firstSeenAt: hoursBefore(2), lastAbsentAt: null });

  it("publishes a build there at our first look without a lag: published before tracking", () => {
    expect(verdictFor({ issuedAt, evidence: [firstLook(null)] })).toMatchObject({
      status: "published",
      lagSeconds: null,
      publishedAt: null,
      lagTimeOrigin: "before_tracking",
      evidenceIndex: 0,
      lagEvidenceIndex: 0,
    });
  });

  it("measures the lag to the mirror's own time of a build there at our first look", () => {
    const tagged = hoursBefore(390);
    expect(verdictFor({ issuedAt, evidence: [firstLook(tagged)] })).toMatchObject({
      status: "published",
      lagSeconds: 10 * 3600,
      publishedAt: tagged,
      lagTimeOrigin: "tagger_date",
    });
  });

  it("labels a later first sight an upper bound (first_seen) with its lag", () => {
    const seen = build("477.27.1.el8_8", hoursBefore(300), {
      publishedAt: null,
      firstSeenAt: hoursBefore(300),
      lastAbsentAt: hoursBefore(300.5),
    });
    expect(verdictFor({ issuedAt, evidence: [seen] })).toMatchObject({
      lagSeconds: 100 * 3600,
      lagTimeOrigin: "first_seen",
      publishedAt: hoursBefore(300),
    });
  });

  it("keeps a package no poll has asked about unknown (not checked), whatever its age", () => {
    expect(verdictFor({ issuedAt, checkedAt: null })).toMatchObject({ status: "unknown", statusReason: "not_checked" });
    expect(verdictFor({ issuedAt, checkedAt: hoursBefore(3), recordedAt: hoursBefore(2) })).toMatchObject({
      status: "unknown",
      statusReason: "not_checked",
    });
    expect(verdictFor({ issuedAt, checkedAt: hoursBefore(2), recordedAt: hoursBefore(2) })).toMatchObject({
      status: "missing",
      statusReason: null,
    });
    expect(verdictFor({ issuedAt, checkedAt: hoursBefore(3), recordedAt: null })).toMatchObject({ status: "missing" });
  });

  it("says stale before not checked when our polls have failed since, and not checked for a mirror never polled", () => {
    expect(verdictFor({ issuedAt, checkedAt: null, lastSuccessfulPollAt: hoursBefore(24) })).toMatchObject({
      status: "unknown",
      statusReason: "stale",
    });
    expect(verdictFor({ issuedAt, checkedAt: null, lastSuccessfulPollAt: null })).toMatchObject({
      status: "unknown",
      statusReason: "not_checked",
    });
  });

  it("makes an update released before the mirror's trackedFrom not applicable once asked, unless the mirror has it", () => {
    const mirror = { ...centos, trackedFrom: hoursBefore(100) };
    expect(verdictFor({ issuedAt, mirror })).toMatchObject({ status: "not_applicable", statusReason: "before_tracked_from" });
    expect(verdictFor({ issuedAt, mirror, checkedAt: null })).toMatchObject({ status: "unknown", statusReason: "not_checked" });
    expect(verdictFor({ issuedAt, mirror, evidence: [build("477.27.1.el8_8", hoursBefore(390))] })).toMatchObject({ status: "published" });
    expect(verdictFor({ issuedAt: hoursBefore(50), mirror })).toMatchObject({ status: "delayed" });
  });
});

describe("computeVerdict with a publication time not to be believed", () => {
  const issuedAt = hoursBefore(200);

  it("measures the lag to our first sight of a build whose time is after it, and flags it", () => {
    const verdict = verdictFor({ issuedAt, evidence: [build("477.27.1.el8_8", hoursBefore(1), { firstSeenAt: hoursBefore(150) })] });
    expect(verdict).toMatchObject({
      status: "published",
      lagSeconds: 50 * 3600,
      evidenceIndex: 0,
      lagEvidenceIndex: 0,
      isTimeSuspect: true,
    });
  });

  it("does not let a build dated years before the release pass for the earliest one", () => {
    const ancient = build("477.27.2.el8_8", new Date("2020-01-01T00:00:00Z"), { firstSeenAt: hoursBefore(100) });
    const verdict = verdictFor({
      issuedAt,
      evidence: [ancient, build("477.27.1.el8_8", hoursBefore(190), { firstSeenAt: hoursBefore(180) })],
    });
    expect(verdict).toMatchObject({
      status: "published",
      lagSeconds: 10 * 3600,
      evidenceIndex: 1,
      lagEvidenceIndex: 1,
      isTimeSuspect: false,
    });
  });

  it("flags the lag when the only build carries a time years before the release, and measures it to our first sight", () => {
    const verdict = verdictFor({
      issuedAt,
      evidence: [build("477.27.1.el8_8", new Date("2020-01-01T00:00:00Z"), { firstSeenAt: hoursBefore(150) })],
    });
    expect(verdict).toMatchObject({ status: "published", lagSeconds: 50 * 3600, isTimeSuspect: true });
  });

  it("takes the mirror's limit from its settings", () => {
    const mirror = { ...centos, suspectTimeBeforeReleaseDays: 1 };
    const verdict = verdictFor({
      issuedAt,
      mirror,
      evidence: [build("477.27.1.el8_8", hoursBefore(230), { firstSeenAt: hoursBefore(150) })],
    });
    expect(verdict).toMatchObject({ lagSeconds: 50 * 3600, isTimeSuspect: true });
    expect(
      verdictFor({ issuedAt, evidence: [build("477.27.1.el8_8", hoursBefore(230), { firstSeenAt: hoursBefore(150) })] }),
    ).toMatchObject({ lagSeconds: 0, isTimeSuspect: false });
  });
});
