import { afterEach, describe, expect, it } from "vitest";
import type { SrcwatchConfig } from "../../core/config";
import { setConfigForTests } from "../config/get-config";
import { NotFoundError } from "../errors";
import type { VerdictCounts } from "../../contract/verdict-dto";
import { computeBadge, getBadge } from "./get-badge";
import { createEmptyVerdictCounts } from "./list-mirror-major-stats";

const now = new Date("2023-06-20T12:00:00Z");
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
const HOUR = 3600;
const policy = { staleAfterMinutes: 360, expectedLagHours: 48, missingAfterHours: 168 };
const counts = (overrides: Partial<VerdictCounts>): VerdictCounts => ({ ...createEmptyVerdictCounts(), ...overrides });

const statusBadge = (advisoryCounts: VerdictCounts, lastSuccessfulPollAt: Date | null = hoursAgo(1)) =>
  computeBadge({
    metric: "status",
    mirrorName: "git.centos.org",
    major: 8,
    counts: advisoryCounts,
    publishedLagsSeconds: [],
    lastSuccessfulPollAt,
    policy,
    now,
  });

const lagBadge = (publishedLagsSeconds: number[]) =>
  computeBadge({
    metric: "lag",
    mirrorName: "git.centos.org",
    major: 8,
    counts: counts({ published: publishedLagsSeconds.length }),
    publishedLagsSeconds,
    lastSuccessfulPollAt: hoursAgo(1),
    policy,
    now,
  });

describe("computeBadge", () => {
  it("labels the badge with the RHEL major and the mirror's name", () => {
    expect(statusBadge(counts({ published: 3 })).label).toBe("RHEL 8 · git.centos.org");
  });

  it.each([
    ["counts missing advisories in red", counts({ missing: 14, delayed: 3, published: 40 }), "14 missing", "red"],
    ["counts delayed advisories in orange when none is missing", counts({ delayed: 3, pending: 2, published: 40 }), "3 delayed", "orange"],
    ["counts pending advisories in yellow when none is late", counts({ pending: 2, unknown: 1, published: 40 }), "2 pending", "yellow"],
    ["counts unknown advisories in grey when nothing else is open", counts({ unknown: 4, published: 40 }), "4 unknown", "lightgrey"],
    ["says all published in green", counts({ published: 40, not_applicable: 5 }), "all published", "brightgreen"],
    ["says no updates when only not-applicable verdicts exist", counts({ not_applicable: 5 }), "no updates", "lightgrey"],
    ["says no updates when there are no verdicts", counts({}), "no updates", "lightgrey"],
  ] as const)("%s", (_name, advisoryCounts, message, color) => {
    expect(statusBadge(advisoryCounts)).toMatchObject({ message, color });
  });

  it.each([
    ["the last success is older than the limit", hoursAgo(7)],
    ["the mirror was never polled successfully", null],
  ])("says unknown, never missing, when %s", (_name, lastSuccessfulPollAt) => {
    expect(statusBadge(counts({ missing: 14, published: 40 }), lastSuccessfulPollAt)).toMatchObject({
      message: "unknown",
      color: "lightgrey",
    });
  });

  it("still counts missing advisories when the last success is just within the limit", () => {
    expect(statusBadge(counts({ missing: 14 }), hoursAgo(6)).message).toBe("14 missing");
  });

  it("keeps all published on a stale mirror: published evidence does not go stale", () => {
    expect(statusBadge(counts({ published: 40 }), hoursAgo(48)).message).toBe("all published");
  });

  it.each([
    ["a p90 within the expected lag in green", [1, 2, 3, 4, 5, 6, 7, 8, 9, 6].map((hours) => hours * HOUR), "lag p90 8 h", "brightgreen"],
    ["a p90 past the expected lag in orange", [10 * HOUR, 100 * HOUR], "lag p90 3 d 19 h", "orange"],
    ["a p90 past the missing threshold in red", [200 * HOUR], "lag p90 8 d 8 h", "red"],
    ["n/a when nothing is published", [], "lag p90 n/a", "lightgrey"],
  ])("shows %s", (_name, lags, message, color) => {
    expect(lagBadge(lags)).toMatchObject({ message, color });
  });
});

describe("getBadge", () => {
  afterEach(() => setConfigForTests(undefined));

  it("throws NotFoundError for a mirror that is not configured", async () => {
    setConfigForTests({ upstreams: [], mirrors: [] } as unknown as SrcwatchConfig);
    await expect(getBadge({ mirrorId: "nowhere.example", major: 8, metric: "status", now })).rejects.toBeInstanceOf(NotFoundError);
  });
});
