import { XMLValidator } from "fast-xml-parser";
import { afterAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { GET as getSummaryRoute } from "../../app/api/v1/summary/route";
import { GET as getBadgeRoute } from "../../app/badges/[mirror]/[file]/route";
import { GET as getMetricsRoute } from "../../app/metrics/route";
import { percentile } from "../../core/lag-stats";
import { VERDICT_STATUSES } from "../../core/types";
import type { SummaryResponse, SummaryRow } from "../../contract/summary-dto";
import { formatDuration } from "../../core/format/format-duration";
import { runPollCycle } from "../../worker/run-poll-cycle";
import { testDatabaseProvider } from "../support/test-database";
import { useHarnessForWebReads } from "../support/use-harness-for-web-reads";
import type { WorkerHarness } from "../support/worker-harness";

const ORIGIN = "http://srcwatch.test";
const HOUR_MS = 3_600_000;

/** shields.io's endpoint badge schema (https://shields.io/badges/endpoint-badge). */
const ShieldsEndpoint = z
  .object({
    schemaVersion: z.literal(1),
    label: z.string(),
    message: z.string().min(1),
    color: z.string().optional(),
    labelColor: z.string().optional(),
    isError: z.boolean().optional(),
    style: z.string().optional(),
    cacheSeconds: z.number().int().min(300).optional(),
  })
  .strict();

function requestBadge(mirror: string, file: string, query = "", headers: HeadersInit = {}): Promise<Response> {
  return getBadgeRoute(new Request(`${ORIGIN}/badges/${mirror}/${file}${query}`, { headers }), {
    params: Promise.resolve({ mirror, file }),
  });
}

async function readShieldsBadge(response: Response, status = 200) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  return ShieldsEndpoint.parse(await response.json());
}

async function readSvg(response: Response, status = 200): Promise<string> {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
  const svg = await response.text();
  expect(XMLValidator.validate(svg)).toBe(true);
  expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  return svg;
}

const METRIC_NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
const LABEL = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\["\\\\n])*"`;
const SAMPLE_LINE = new RegExp(`^(${METRIC_NAME})(?:\\{(${LABEL}(?:,${LABEL})*)?\\})? (-?\\d+(?:\\.\\d+)?(?:e[+-]?\\d+)?|NaN|[+-]Inf)$`);
const HELP_LINE = new RegExp(`^# HELP (${METRIC_NAME}) \\S.*$`);
const TYPE_LINE = new RegExp(`^# TYPE (${METRIC_NAME}) (counter|gauge|summary|histogram|untyped)$`);

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Checks every line against the text exposition format and returns the samples. */
function parseExposition(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  const lines = text.split("\n");
  expect(lines.at(-1)).toBe("");
  for (const line of lines.slice(0, -1)) {
    if (line === "") continue;
    const type = TYPE_LINE.exec(line);
    if (type) {
      types.set(type[1], type[2]);
      continue;
    }
    if (line.startsWith("# HELP")) {
      expect(line).toMatch(HELP_LINE);
      continue;
    }
    const sample = SAMPLE_LINE.exec(line);
    expect(sample, `not a valid exposition line: ${line}`).not.toBeNull();
    const labels = Object.fromEntries(
      [...(sample![2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((match) => [match[1], match[2]]),
    );
    expect(types.has(sample![1]), `sample before its TYPE line: ${line}`).toBe(true);
    samples.push({ name: sample![1], labels, value: Number(sample![3]) });
  }
  return { samples, types };
}

function findSampleValue(samples: Sample[], name: string, labels: Record<string, string>): number | undefined {
  return samples.find((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
    ?.value;
}

function describeWorstStatus(row: SummaryRow): string {
  const { missing, delayed, pending } = row.counts;
  if (missing > 0) return `${missing} missing`;
  if (delayed > 0) return `${delayed} delayed`;
  if (pending > 0) return `${pending} pending`;
  return "all published";
}

describe(`badges and metrics on polled data (${testDatabaseProvider()})`, () => {
  let harness: WorkerHarness;
  let rhel8: SummaryRow;
  let summary: SummaryResponse;

  useHarnessForWebReads({ start: "2023-06-10T00:00:00Z", startDate: "2023-06-01", extraMirrors: ["almalinux-errata"] }, async (started) => {
    harness = started;
    await runPollCycle(harness.deps);
    // git.centos.org is down on the 20th and again right after the last successful poll: failures on record, data still fresh.
    for (const [at, isGitDown] of [
      ["2023-06-16T00:00:00Z", false],
      ["2023-06-20T00:00:00Z", true],
      ["2023-06-24T00:00:00Z", false],
      ["2023-06-24T00:30:00Z", true],
    ] as const) {
      harness.simulator.setFault("git", isGitDown ? { mode: "down", pathIncludes: "/rpms/" } : null);
      harness.clock.set(new Date(at));
      await runPollCycle(harness.deps);
    }
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date(harness.clock.now().getTime() + HOUR_MS));
    summary = (await (await getSummaryRoute(new Request(`${ORIGIN}/api/v1/summary`))).json()) as SummaryResponse;
    rhel8 = summary.rows.find((row) => row.mirrorId === "git.centos.org" && row.major === 8)!;
  });
  afterAll(() => {
    vi.useRealTimers();
  });

  it("draws an SVG badge naming the RHEL major, the mirror and its worst verdict count", async () => {
    expect(rhel8.counts.missing).toBeGreaterThan(0);
    const response = await requestBadge("git.centos.org", "8.svg");
    const svg = await readSvg(response);
    expect(svg).toContain("RHEL 8 · git.centos.org");
    expect(svg).toContain(`${rhel8.counts.missing} missing`);
    expect(response.headers.get("cache-control")).toMatch(/max-age=300/);
  });

  it("answers shields' endpoint schema with the same words as the SVG, for every mirror × major", async () => {
    for (const row of summary.rows) {
      const badge = await readShieldsBadge(await requestBadge(row.mirrorId, `${row.major}.json`));
      expect(badge).toMatchObject({ label: `RHEL ${row.major} · ${row.mirrorName}`, message: describeWorstStatus(row) });
      expect(await readSvg(await requestBadge(row.mirrorId, `${row.major}.svg`))).toContain(badge.message);
    }
  });

  it("shows the p90 of the published lags with metric=lag, an advisory with a package published before tracking left out", async () => {
    const published = await harness.database.db.verdict.findMany({
      where: { mirrorId: "git.centos.org", status: "published", package: { major: 8 } },
      select: { lagSeconds: true, package: { select: { advisoryId: true } } },
    });
    // Its slowest package's stored lag; none (never 0) when one of its packages has no lag.
    const lagByAdvisory = new Map<string, number | null>();
    for (const verdict of published) {
      const { advisoryId } = verdict.package;
      const lag = lagByAdvisory.has(advisoryId) ? lagByAdvisory.get(advisoryId)! : 0;
      lagByAdvisory.set(advisoryId, lag === null || verdict.lagSeconds === null ? null : Math.max(lag, verdict.lagSeconds));
    }
    const lags = [...lagByAdvisory.values()].filter((lag): lag is number => lag !== null);
    expect(lags.length).toBeGreaterThan(0);
    const badge = await readShieldsBadge(await requestBadge("git.centos.org", "8.json", "?metric=lag"));
    expect(badge.message).toBe(`lag p90 ${formatDuration(percentile(lags, 90))}`);
  });

  it.each(["flat", "flat-square", "for-the-badge"])("draws the %s style", async (style) => {
    const svg = await readSvg(await requestBadge("git.centos.org", "8.svg", `?style=${style}`));
    expect(svg.toLowerCase()).toContain(`${rhel8.counts.missing} missing`);
  });

  it("answers 304 to a request carrying the badge's ETag", async () => {
    const first = await requestBadge("git.centos.org", "8.svg");
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^"[\w-]+"$/);
    for (const ifNoneMatch of [etag!, `W/${etag}`, `"an-older-badge", ${etag}`]) {
      const revalidated = await requestBadge("git.centos.org", "8.svg", "", { "If-None-Match": ifNoneMatch });
      expect(revalidated.status, ifNoneMatch).toBe(304);
      expect(await revalidated.text()).toBe("");
      expect(revalidated.headers.get("etag")).toBe(etag);
    }
    const other = await requestBadge("git.centos.org", "8.svg", "?metric=lag", { "If-None-Match": etag! });
    expect(other.status).toBe(200);
  });

  it("answers 404 with a badge saying unknown mirror", async () => {
    const svg = await readSvg(await requestBadge("mirror.example.org", "8.svg"), 404);
    expect(svg).toContain("unknown mirror");
    const badge = await readShieldsBadge(await requestBadge("mirror.example.org", "8.json"), 404);
    expect(badge).toMatchObject({ message: "unknown mirror", isError: true });
  });

  it.each(["7.json", "eight.json", "8.5.json"])("answers 404 with a badge saying unknown RHEL major for %s", async (file) => {
    const badge = await readShieldsBadge(await requestBadge("git.centos.org", file), 404);
    expect(badge.message).toBe("unknown RHEL major");
  });

  it("answers 404 for a format it does not draw and 400 for an unknown style", async () => {
    expect((await requestBadge("git.centos.org", "8.png")).status).toBe(404);
    const badge = await readShieldsBadge(await requestBadge("git.centos.org", "8.json", "?style=plastic"), 400);
    expect(badge.message).toBe("invalid style");
  });

  it("says unknown, not missing, once the mirror's polls are stale", async () => {
    vi.setSystemTime(new Date(harness.clock.now().getTime() + 7 * HOUR_MS));
    try {
      const badge = await readShieldsBadge(await requestBadge("git.centos.org", "8.json"));
      expect(badge).toMatchObject({ message: "unknown", color: "lightgrey" });
    } finally {
      vi.setSystemTime(new Date(harness.clock.now().getTime() + HOUR_MS));
    }
  });

  it("exposes Prometheus metrics whose every line is valid and whose values are the database's counts", async () => {
    const response = await getMetricsRoute();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const { samples, types } = parseExposition(await response.text());
    const db = harness.database.db;

    expect(Object.fromEntries(types)).toEqual({
      srcwatch_poll_runs_total: "counter",
      srcwatch_poll_errors_total: "counter",
      srcwatch_source_last_success_timestamp_seconds: "gauge",
      srcwatch_source_consecutive_failures: "gauge",
      srcwatch_verdicts: "gauge",
      srcwatch_lag_seconds: "gauge",
      srcwatch_advisories: "gauge",
      srcwatch_outbox_depth: "gauge",
      srcwatch_outbox_oldest_pending_seconds: "gauge",
    });

    const runCounts = await db.pollRun.groupBy({ by: ["sourceId", "outcome"], _count: { _all: true } });
    expect(runCounts.length).toBeGreaterThan(0);
    for (const row of runCounts) {
      expect(findSampleValue(samples, "srcwatch_poll_runs_total", { source: row.sourceId, outcome: row.outcome })).toBe(row._count._all);
    }
    expect(samples.filter((sample) => sample.name === "srcwatch_poll_runs_total").reduce((sum, sample) => sum + sample.value, 0)).toBe(
      await db.pollRun.count(),
    );
    const errorCounts = await db.pollRun.groupBy({
      by: ["sourceId", "errorKind"],
      where: { errorKind: { not: null } },
      _count: { _all: true },
    });
    expect(errorCounts.filter((row) => row.sourceId === "git.centos.org").reduce((sum, row) => sum + row._count._all, 0)).toBe(2);
    for (const row of errorCounts) {
      expect(findSampleValue(samples, "srcwatch_poll_errors_total", { source: row.sourceId, kind: row.errorKind! })).toBe(row._count._all);
    }
    expect(samples.filter((sample) => sample.name === "srcwatch_poll_errors_total")).toHaveLength(errorCounts.length);
    expect(findSampleValue(samples, "srcwatch_source_consecutive_failures", { source: "git.centos.org" })).toBe(1);

    for (const state of await db.sourceState.findMany()) {
      expect(findSampleValue(samples, "srcwatch_source_last_success_timestamp_seconds", { source: state.sourceId })).toBe(
        state.lastSuccessAt!.getTime() / 1000,
      );
      expect(findSampleValue(samples, "srcwatch_source_consecutive_failures", { source: state.sourceId })).toBe(state.consecutiveFailures);
    }

    for (const row of summary.rows) {
      const labels = { mirror: row.mirrorId, major: String(row.major) };
      for (const status of VERDICT_STATUSES)
        expect(findSampleValue(samples, "srcwatch_verdicts", { ...labels, status })).toBe(row.counts[status]);
      expect(findSampleValue(samples, "srcwatch_lag_seconds", { ...labels, quantile: "0.5" })).toBe(row.medianLagSeconds ?? undefined);
    }
    const advisoriesWithRhel8 = await db.advisory.count({ where: { packages: { some: { major: 8 } } } });
    const rhel8Verdicts = samples.filter(
      (sample) => sample.name === "srcwatch_verdicts" && sample.labels.mirror === "git.centos.org" && sample.labels.major === "8",
    );
    expect(rhel8Verdicts.reduce((sum, sample) => sum + sample.value, 0)).toBe(advisoriesWithRhel8);

    const lagQuantiles = samples.filter(
      (sample) => sample.name === "srcwatch_lag_seconds" && sample.labels.mirror === "git.centos.org" && sample.labels.major === "8",
    );
    expect(lagQuantiles.map((sample) => sample.labels.quantile)).toEqual(["0.5", "0.9", "0.99"]);
    expect(lagQuantiles.map((sample) => sample.value)).toEqual([...lagQuantiles.map((sample) => sample.value)].sort((a, b) => a - b));
    expect(findSampleValue(samples, "srcwatch_advisories", {})).toBe(await db.advisory.count());
  });
});
