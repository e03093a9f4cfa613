import { describe, expect, it } from "vitest";
import { GET as getMirrorHistoryRoute } from "../../app/api/v1/mirrors/[id]/route";
import type { AlertDetails } from "../../core/alerts/types";
import { getMirrorHistory } from "../../server/read/get-mirror-history";
import { MirrorHistoryQuery, MirrorHistoryResponse } from "../../contract/mirror-history-dto";
import { runPollCycle } from "../../worker/run-poll-cycle";
import { testDatabaseProvider } from "../support/test-database";
import { useHarnessForWebReads, pollAtStartAndAt } from "../support/use-harness-for-web-reads";
import type { WorkerHarness } from "../support/worker-harness";

const BASE = "http://srcwatch.test/api/v1";
const CUTOFF = "2023-06-14T00:00:00.000Z";
const now = new Date("2023-06-24T03:00:00Z");

const stopOf = (history: MirrorHistoryResponse, major: number) => history.publishing.majors.find((entry) => entry.major === major)!.stop;

function requestMirrorHistory(id: string, query = "") {
  return getMirrorHistoryRoute(new Request(`${BASE}/mirrors/${encodeURIComponent(id)}${query}`), {
    params: Promise.resolve({ id: encodeURIComponent(id) }),
  });
}

describe(`a mirror's history (${testDatabaseProvider()})`, () => {
  let harness: WorkerHarness;
  const pollAt = async (at: string) => {
    harness.clock.set(new Date(at));
    await runPollCycle(harness.deps);
  };
  const readHistory = (id: string, query: Record<string, unknown> = {}) => getMirrorHistory(id, MirrorHistoryQuery.parse(query), { now });

  useHarnessForWebReads({ start: "2023-06-10T00:00:00Z", startDate: "2023-06-01", extraMirrors: ["almalinux-errata"] }, async (started) => {
    harness = started;
    await pollAtStartAndAt(harness, ["2023-06-12T06:00:00Z", "2023-06-13T06:00:00Z", "2023-06-15T06:00:00Z"]);
    harness.simulator.setFault("git", { mode: "down", pathIncludes: "/rpms/" });
    for (const at of ["2023-06-16T06:00:00Z", "2023-06-16T07:00:00Z"]) await pollAt(at);
    harness.simulator.setFault("git", null);
    // Seven days without any poll, then two.
    for (const at of ["2023-06-24T01:00:00Z", "2023-06-24T02:00:00Z"]) await pollAt(at);
  });

  it("detects per major that git.centos.org stopped publishing at its last import before 2023-06-14", async () => {
    const history = await readHistory("git.centos.org");
    expect(history.publishing.majors.map((entry) => entry.major)).toEqual([8, 9]);
    // Each major has its own last import: RHEL 8's is days before RHEL 9's (the page used to merge them).
    const [eight, nine] = [stopOf(history, 8), stopOf(history, 9)];
    for (const { stoppedAt, lastPublishedAt, releasedSinceCount, overdueSinceCount, minOverdueUpdates } of [eight, nine]) {
      expect(stoppedAt).not.toBeNull();
      expect(stoppedAt! > "2023-06-01" && stoppedAt! < CUTOFF).toBe(true);
      expect(lastPublishedAt).toBe(stoppedAt);
      expect(releasedSinceCount).toBeGreaterThanOrEqual(5);
      expect(overdueSinceCount).toBeGreaterThanOrEqual(minOverdueUpdates);
      expect(minOverdueUpdates).toBe(
        harness.config.mirrors.find((mirror) => mirror.id === "git.centos.org")!.alerts.stoppedMinOverdueUpdates,
      );
    }
    expect(eight.stoppedAt!.slice(0, 10)).toBe("2023-06-05");
    expect(nine.stoppedAt! > eight.stoppedAt!).toBe(true);
    const afterCutoff = history.buckets.filter((bucket) => bucket.startAt >= CUTOFF);
    expect(afterCutoff.length).toBeGreaterThan(0);
    expect(afterCutoff.reduce((sum, bucket) => sum + bucket.released, 0)).toBeGreaterThan(0);
    expect(afterCutoff.every((bucket) => bucket.published === 0 && bucket.releasedPublished === 0 && bucket.lag === null)).toBe(true);
  });

  it("finds no stop, full or partial, on a mirror that keeps publishing", async () => {
    const history = await readHistory("almalinux-errata");
    for (const { stop, partialStop } of history.publishing.majors) {
      expect(stop.stoppedAt).toBeNull();
      expect(stop.lastPublishedAt! > CUTOFF).toBe(true);
      expect(partialStop).toBeNull();
    }
    expect(history.buckets.filter((bucket) => bucket.startAt >= CUTOFF).some((bucket) => bucket.published > 0)).toBe(true);
  });

  it("names the same stop, normal lag and history as the publishing_stopped alert of each major", async () => {
    // The alert was last evaluated at the last poll: read the page for that instant.
    const at = harness.clock.now();
    const history = await getMirrorHistory("git.centos.org", MirrorHistoryQuery.parse({}), { now: at });
    const alerts = await harness.database.db.alert.findMany({
      where: { mirrorId: "git.centos.org", kind: "publishing_stopped", status: "firing" },
    });
    expect(alerts.map((alert) => alert.major)).toContain(8);
    for (const alert of alerts) {
      const { stop } = JSON.parse(alert.details) as AlertDetails;
      const page = history.publishing.majors.find((entry) => entry.major === alert.major)!;
      expect(page.stop.stoppedAt).toBe(stop!.lastPublishedAt);
      expect(page.stop).toMatchObject({ releasedSinceCount: stop!.releasedSinceCount, overdueSinceCount: stop!.overdueSinceCount });
      expect(alert.summary).toContain(`nothing since ${page.stop.stoppedAt!.slice(0, 10)}`);
      expect(history.publishing.normalLag).toEqual({
        hours: stop!.normalLagHours,
        source: stop!.normalLagSource,
        percentile: stop!.percentile,
        historySize: stop!.historySize,
      });
    }
    for (const entry of history.publishing.majors.filter((candidate) => candidate.stop.stoppedAt !== null)) {
      expect(alerts.map((alert) => alert.major)).toContain(entry.major);
    }
  });

  it("counts every carried update (advisory × major) once by release, as published or still open, with ordered lag percentiles", async () => {
    const history = await readHistory("git.centos.org");
    const applicable = await harness.database.db.package.findMany({
      where: { verdicts: { some: { mirrorId: "git.centos.org", status: { not: "not_applicable" } } } },
      select: { advisoryId: true, major: true },
    });
    const carried = new Set(applicable.map((pkg) => `${pkg.advisoryId}/${pkg.major}`)).size;
    expect(history.buckets.reduce((sum, bucket) => sum + bucket.released, 0)).toBe(carried);
    for (const bucket of history.buckets) {
      expect(bucket.releasedPublished + bucket.releasedOpen).toBe(bucket.released);
      if (bucket.lag) {
        expect(bucket.lag.count).toBe(bucket.releasedPublished);
        expect(bucket.lag.p50Seconds).toBeLessThanOrEqual(bucket.lag.p90Seconds);
        expect(bucket.lag.p90Seconds).toBeLessThanOrEqual(bucket.lag.p99Seconds);
        expect(bucket.lagBySeverity.reduce((sum, entry) => sum + entry.count, 0)).toBe(bucket.lag.count);
      }
    }
    const published = history.buckets.reduce((sum, bucket) => sum + bucket.published, 0);
    expect(published).toBe(history.buckets.reduce((sum, bucket) => sum + bucket.releasedPublished, 0));
  });

  it("groups by month when asked", async () => {
    const history = await readHistory("git.centos.org", { bucket: "month" });
    expect(history.bucket).toBe("month");
    expect(history.buckets.map((bucket) => bucket.startAt)).toEqual(["2023-06-01T00:00:00.000Z"]);
  });

  it("shows the days the mirror was down as failing and the days srcwatch did not poll as gaps, never ok", async () => {
    const { daily, hourly } = (await readHistory("git.centos.org")).pollCoverage;
    const statusOn = (day: string) => daily.cells.find((cell) => cell.startAt.startsWith(day))?.status;
    expect(daily.cells).toHaveLength(30);
    expect(statusOn("2023-06-13")).toBe("ok");
    expect(statusOn("2023-06-14")).toBe("gap");
    expect(statusOn("2023-06-16")).toBe("failing");
    for (const day of ["2023-06-17", "2023-06-18", "2023-06-19", "2023-06-20", "2023-06-21", "2023-06-22", "2023-06-23"])
      expect(statusOn(day)).toBe("gap");
    expect(statusOn("2023-06-24")).toBe("ok");
    expect(statusOn("2023-06-01")).toBe("gap");
    expect(hourly.cells).toHaveLength(48);
    expect(hourly.cells.slice(-4).map((cell) => cell.status)).toEqual(["gap", "ok", "ok", "gap"]);
    const healthy = (await readHistory("almalinux-errata")).pollCoverage.daily.cells.find((cell) => cell.startAt.startsWith("2023-06-16"));
    expect(healthy?.status).toBe("ok");
  });

  it("lists the recent poll runs newest first, with the failures' error kind", async () => {
    const { pollRuns, health } = await readHistory("git.centos.org");
    expect(pollRuns.map((run) => run.startedAt)).toEqual([...pollRuns.map((run) => run.startedAt)].sort().reverse());
    const failed = pollRuns.filter((run) => run.outcome === "failed");
    expect(failed.map((run) => run.startedAt)).toEqual(["2023-06-16T07:00:00.000Z", "2023-06-16T06:00:00.000Z"]);
    expect(failed.every((run) => run.errorKind === "network" && run.errorMessage)).toBe(true);
    expect(health).toMatchObject({
      status: "ok",
      lastFailureAt: "2023-06-16T07:00:00.000Z",
      lastErrorKind: "network",
      consecutiveFailures: 0,
    });
  });

  it("serves the history as JSON that matches its schema", async () => {
    const response = await requestMirrorHistory("git.centos.org", "?bucket=week");
    expect(response.status).toBe(200);
    const body = MirrorHistoryResponse.parse(await response.json());
    expect(body.mirror.id).toBe("git.centos.org");
    expect(body.publishing.majors.find((entry) => entry.major === 8)?.stop.stoppedAt).not.toBeNull();
  });

  it("answers 404 for a mirror that is not configured", async () => {
    const response = await requestMirrorHistory("mirror.example.org");
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });

  it.each([
    ["an unknown bucket", "?bucket=year", "bucket"],
    ["the stop threshold, which is the mirror's alert policy now", "?stopAfterUpdates=5", "stopAfterUpdates"],
    ["a misspelt parameter", "?buckets=week", "buckets"],
  ])("answers 400 naming the problem for %s", async (_name, query, parameter) => {
    const response = await requestMirrorHistory("git.centos.org", query);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("bad_request");
    expect(body.error.message).toContain(parameter);
  });
});
