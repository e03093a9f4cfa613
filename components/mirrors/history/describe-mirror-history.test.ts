import { describe, expect, it } from "vitest";
import type { MirrorHistoryBucket, MirrorHistoryResponse } from "@/contract/mirror-history-dto";
import {
  describeLag,
  describeMajorPublishing,
  describeNormalLag,
  describePollCoverage,
  describePublishing,
  formatBucketLabel,
} from "./describe-mirror-history";

const mirror = { name: "git.centos.org" } as MirrorHistoryResponse["mirror"];
const bucket = (
  startAt: string,
  released: number,
  releasedPublished: number,
  lag: MirrorHistoryBucket["lag"] = null,
): MirrorHistoryBucket => ({
  startAt,
  endAt: startAt,
  released,
  releasedPublished,
  releasedOpen: released - releasedPublished,
  published: releasedPublished,
  lag,
  lagBySeverity: [],
});
const normalLag = { hours: 6, source: "learned" as const, percentile: 95, historySize: 31 };
const noStop = { stoppedAt: null, lastPublishedAt: null, releasedSinceCount: 0, overdueSinceCount: 0, minOverdueUpdates: 3 };
type MajorEntry = MirrorHistoryResponse["publishing"]["majors"][number];
const major = (number: number, overrides: Partial<MajorEntry> = {}): MajorEntry => ({
  major: number,
  stop: noStop,
  share: null,
  partialStop: null,
  ...overrides,
});
const publishing = (...majors: MajorEntry[]): MirrorHistoryResponse["publishing"] => ({
  normalLag,
  partialStopRatio: 0.5,
  partialStopMinNormalShare: 0.8,
  majors,
});

describe("describePublishing", () => {
  it("names each stopped major, its stop and how many of its updates were released since", () => {
    const stop = { ...noStop, stoppedAt: "2023-06-05T13:32:44.000Z", lastPublishedAt: "2023-06-05T13:32:44.000Z", releasedSinceCount: 23 };
    const nineStop = {
      ...noStop,
      stoppedAt: "2023-06-13T09:00:00.000Z",
      lastPublishedAt: "2023-06-13T09:00:00.000Z",
      releasedSinceCount: 1,
    };
    expect(describePublishing({ mirror, buckets: [], publishing: publishing(major(8, { stop }), major(9)) })).toBe(
      "git.centos.org stopped publishing RHEL 8: it published 0 of the 23 RHEL 8 updates released since its last publication on 2023-06-05 13:32 UTC.",
    );
    expect(describePublishing({ mirror, buckets: [], publishing: publishing(major(8, { stop }), major(9, { stop: nineStop })) })).toBe(
      "git.centos.org stopped publishing RHEL 8: it published 0 of the 23 RHEL 8 updates released since its last publication on 2023-06-05 13:32 UTC. " +
        "git.centos.org stopped publishing RHEL 9: it published 0 of the 1 RHEL 9 update released since its last publication on 2023-06-13 09:00 UTC.",
    );
  });

  it("counts published and open updates when no major has stopped, with the latest publication of any major", () => {
    const buckets = [bucket("2023-06-05T00:00:00.000Z", 4, 4), bucket("2023-06-12T00:00:00.000Z", 3, 2)];
    const majors = publishing(
      major(8, { stop: { ...noStop, lastPublishedAt: "2023-06-14T10:00:00.000Z" } }),
      major(9, { stop: { ...noStop, lastPublishedAt: "2023-06-12T10:00:00.000Z" } }),
    );
    expect(describePublishing({ mirror, buckets, publishing: majors })).toBe(
      "git.centos.org has published 6 of the 7 RHEL updates it carries released since 2023-06-05; 1 is still open. Its last publication: 2023-06-14 10:00 UTC.",
    );
  });

  it("says when nothing is tracked yet", () => {
    expect(describePublishing({ mirror, buckets: [], publishing: publishing(major(8)) })).toMatch(/has been tracked yet/);
  });
});

describe("describeNormalLag", () => {
  it("says whether the normal lag was learned or configured, and from how many publications", () => {
    expect(describeNormalLag("OpenELA", normalLag)).toBe(
      "OpenELA's normal lag is 6 h: the p95 of the lags of the 31 updates it published recently.",
    );
    expect(describeNormalLag("OpenELA", { ...normalLag, hours: 48, source: "configured", historySize: 12 })).toBe(
      "OpenELA's normal lag is 2 d, as configured: 12 updates published recently is too few to learn its own p95 from.",
    );
  });
});

describe("describeMajorPublishing", () => {
  it("gives a stopped major the alert's stop date and counts", () => {
    const stop = {
      ...noStop,
      stoppedAt: "2023-06-05T13:32:44.000Z",
      lastPublishedAt: "2023-06-05T13:32:44.000Z",
      releasedSinceCount: 23,
      overdueSinceCount: 21,
    };
    expect(describeMajorPublishing(major(8, { stop }), normalLag)).toEqual({
      state: "stopped",
      headline: "RHEL 8: stopped publishing — nothing since 2023-06-05 13:32 UTC",
      details: ["23 updates released since, none published; 21 of them older than the normal lag of 6 h (3 overdue mean stopped)."],
    });
  });

  it("gives a partly stopped major its share against the normal one, and the packages stopped and kept", () => {
    const share = { windowSize: 20, publishedInWindow: 4, baselineSize: 20, publishedInBaseline: 19 };
    const partialStop = { ...share, normalLagHours: 6, stoppedPackages: ["bash", "curl"], keptPackages: ["kernel"] };
    expect(
      describeMajorPublishing(
        major(8, { share, partialStop, stop: { ...noStop, lastPublishedAt: "2024-03-01T10:00:00.000Z" } }),
        normalLag,
      ),
    ).toEqual({
      state: "partial",
      headline: "RHEL 8: stopped some packages — published 4 of the last 20 updates due by now (normally 19 of 20)",
      details: ["Stopped (2): bash, curl.", "Still published (1): kernel."],
    });
  });

  it("gives a publishing major its share and last publication", () => {
    const share = { windowSize: 20, publishedInWindow: 19, baselineSize: 20, publishedInBaseline: 20 };
    expect(
      describeMajorPublishing(major(9, { share, stop: { ...noStop, lastPublishedAt: "2024-03-01T10:00:00.000Z" } }), normalLag),
    ).toMatchObject({
      state: "publishing",
      headline:
        "RHEL 9: publishing — published 19 of the last 20 updates due by now (normally 20 of 20); last publication 2024-03-01 10:00 UTC",
    });
    expect(describeMajorPublishing(major(9), normalLag)).toMatchObject({ state: "unknown", headline: "RHEL 9: nothing published yet" });
  });
});

describe("describeLag", () => {
  it("reads the latest bucket with a publication", () => {
    const lag = { count: 3, p50Seconds: 7200, p90Seconds: 90_000, p99Seconds: 180_000 };
    const buckets = [bucket("2023-06-05T00:00:00.000Z", 3, 3, lag), bucket("2023-06-12T00:00:00.000Z", 2, 0)];
    expect(describeLag({ mirror, buckets, bucket: "week" })).toBe(
      "Lag of the updates released in the week of 2023-06-05 (the latest with a publication): p50 2 h, p90 1 d 1 h, p99 2 d 2 h over 3 updates.",
    );
  });
});

describe("describePollCoverage", () => {
  it("counts gaps as no data, apart from failures", () => {
    const cell = (status: "ok" | "failing" | "gap") => ({ startAt: "", endAt: "", status, successCount: 0, failureCount: 0 });
    expect(describePollCoverage({ unit: "day", cells: [cell("ok"), cell("failing"), cell("gap"), cell("gap")] })).toBe(
      "Last 4 days: 1 day with a successful poll, 1 with failed polls only, 2 without any poll (no data).",
    );
  });
});

describe("formatBucketLabel", () => {
  it.each([
    ["week", "2023-06-12"],
    ["month", "2023-06"],
  ] as const)("labels a %s by its start", (unit, expected) => {
    expect(formatBucketLabel("2023-06-12T00:00:00.000Z", unit)).toBe(expected);
  });
});
