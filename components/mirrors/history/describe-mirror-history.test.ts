import { describe, expect, it } from "vitest";
import type { MirrorHistoryBucket, MirrorHistoryResponse } from "@/server/read/mirror-history-dto";
import { describeLag, describePollCoverage, describePublishing, formatBucketLabel } from "./describe-mirror-history";

const mirror = { name: "git.centos.org" } as MirrorHistoryResponse["mirror"];
const bucket = (startAt: string, released: number, releasedPublished: number, lag: MirrorHistoryBucket["lag"] = null): MirrorHistoryBucket => ({
  startAt,
  endAt: startAt,
  released,
  releasedPublished,
  releasedOpen: released - releasedPublished,
  published: releasedPublished,
  lag,
  lagBySeverity: [],
});
const noStop = { stoppedAt: null, lastPublishedAt: null, releasedSinceCount: 0, overdueSinceCount: 0, stopAfterUpdates: 5 };

describe("describePublishing", () => {
  it("names the stop and how many updates were released since", () => {
    const stop = { ...noStop, stoppedAt: "2023-06-13T13:32:44.000Z", lastPublishedAt: "2023-06-13T13:32:44.000Z", releasedSinceCount: 23 };
    expect(describePublishing({ mirror, buckets: [], publishingStop: stop })).toBe(
      "git.centos.org stopped publishing: it published 0 of the 23 RHEL updates released since its last publication on 2023-06-13 13:32 UTC.",
    );
  });

  it("counts published and open updates when the mirror has not stopped", () => {
    const buckets = [bucket("2023-06-05T00:00:00.000Z", 4, 4), bucket("2023-06-12T00:00:00.000Z", 3, 2)];
    expect(describePublishing({ mirror, buckets, publishingStop: { ...noStop, lastPublishedAt: "2023-06-14T10:00:00.000Z" } })).toBe(
      "git.centos.org has published 6 of the 7 RHEL updates it carries released since 2023-06-05; 1 is still open. Its last publication: 2023-06-14 10:00 UTC.",
    );
  });

  it("says when nothing is tracked yet", () => {
    expect(describePublishing({ mirror, buckets: [], publishingStop: noStop })).toMatch(/has been tracked yet/);
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
