import http from "node:http";
import type { AddressInfo } from "node:net";
import { QueryClientProvider } from "@tanstack/react-query";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getAdvisoryRoute } from "../../app/api/v1/advisories/[id]/route";
import { GET as listAdvisoriesRoute } from "../../app/api/v1/advisories/route";
import { GET as getPackageRoute } from "../../app/api/v1/packages/[name]/route";
import { GET as getMissingCsvRoute } from "../../app/api/v1/reports/missing.csv/route";
import { GET as getSummaryRoute } from "../../app/api/v1/summary/route";
import { AdvisoryPackages } from "../../components/advisories/advisory-packages";
import { getAdvisoryEndpoint } from "../../contract/endpoints";
import { endpointQueryKey } from "../../contract/query-options";
import { makeQueryClient } from "../../components/query-client";
import { setConfigForTests } from "../../server/config/get-config";
import { setDbForTests } from "../../server/db/client";
import { collectMetrics } from "../../server/metrics/collect-metrics";
import { AdvisoryDetailResponse, AdvisoryListResponse } from "../../contract/advisory-dto";
import { SummaryResponse } from "../../contract/summary-dto";
import { type PackageVerdictDto } from "../../contract/verdict-dto";
import { getBadge } from "../../server/read/get-badge";
import { getMirrorHistory } from "../../server/read/get-mirror-history";
import { PackageHistoryResponse } from "../../contract/package-history-dto";
import { buildYumRepository, type YumRepositoryPackage } from "../../simulator/yum/build-yum-repository";
import type { ScenarioPackageRelease } from "../../simulator/scenarios/june-2023";
import { runPollCycle } from "../../worker/run-poll-cycle";
import { testDatabaseProvider } from "../support/test-database";
import { startWorkerHarness, type WorkerHarness } from "../support/worker-harness";
import { parseCsv } from "../support/parse-csv";

/*
 * Issue "truth of time", items 3 and 7, end to end: a yum repository without updateinfo gives no time of its own. Its
 * first poll finds builds that were there before srcwatch looked: "published before tracking", with no lag, in the API,
 * the advisory page, the CSV and the statistics. A build that appears at a later poll has a first_seen lag: an upper
 * bound, as precise as the time between the two polls.
 */

const BASE = "http://srcwatch.test/api/v1";
const MIRROR_ID = "plain-yum";
const FIRST_POLL = new Date("2023-06-20T00:00:00Z");
const SECOND_POLL = new Date("2023-06-20T06:00:00Z");

/** A yum source repository per major, served from memory; its content changes between polls. */
function startPlainYumServer() {
  const files = new Map<string, Buffer>();
  const server = http.createServer((request, response) => {
    const body = files.get(new URL(request.url ?? "/", "http://x").pathname);
    if (!body) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": body.length });
    response.end(request.method === "HEAD" ? undefined : body);
  });
  return {
    server,
    /** Serves these builds, primary only: the repomd lists no updateinfo, so the mirror gives no time at all. */
    publish(builds: readonly ScenarioPackageRelease[], at: Date) {
      files.clear();
      for (const major of [8, 9]) {
        const packages: YumRepositoryPackage[] = builds
          .filter((build) => build.major === major)
          .map((build) => ({
            name: build.name,
            epoch: build.epoch,
            version: build.version,
            release: build.release,
            fileName: `${build.nvr}.src.rpm`,
          }));
        const repository = buildYumRepository({ packages, updates: [], builtAt: at, collection: `el${major}` });
        const repomd = repository.repomd.toString("utf8").replace(/\s*<data type="updateinfo">[\s\S]*?<\/data>/, "");
        expect(repomd).not.toContain("updateinfo");
        files.set(`/el${major}/repodata/repomd.xml`, Buffer.from(repomd));
        for (const file of repository.dataFiles) files.set(`/el${major}/${file.href}`, file.body);
      }
    },
  };
}

async function getJson(response: Response | Promise<Response>): Promise<unknown> {
  const resolved = await response;
  expect(resolved.status).toBe(200);
  return resolved.json();
}

describe(`a mirror with no time of its own, from its first poll on (${testDatabaseProvider()})`, () => {
  let harness: WorkerHarness;
  let yum: ReturnType<typeof startPlainYumServer>;
  let heldBack: ScenarioPackageRelease;
  let beforeTracking: ScenarioPackageRelease[];

  const verdictOf = async (advisoryId: string, nevra: string): Promise<PackageVerdictDto> => {
    const detail = AdvisoryDetailResponse.parse(
      await getJson(getAdvisoryRoute(new Request(`${BASE}/advisories/${advisoryId}`), { params: Promise.resolve({ id: advisoryId }) })),
    );
    const pkg = detail.packages.find((candidate) => candidate.nevra === nevra);
    expect(pkg, nevra).toBeDefined();
    const verdict = pkg!.verdicts.find((candidate) => candidate.mirrorId === MIRROR_ID);
    expect(verdict, `${nevra} on ${MIRROR_ID}`).toBeDefined();
    return verdict!;
  };
  const summaryRowOf = async (major: number) => {
    const summary = SummaryResponse.parse(await getJson(getSummaryRoute(new Request(`${BASE}/summary`))));
    return summary.rows.find((row) => row.mirrorId === MIRROR_ID && row.major === major)!;
  };

  beforeAll(async () => {
    yum = startPlainYumServer();
    await new Promise<void>((resolve) => yum.server.listen(0, "127.0.0.1", resolve));
    const yumUrl = `http://127.0.0.1:${(yum.server.address() as AddressInfo).port}`;
    harness = await startWorkerHarness({
      start: FIRST_POLL.toISOString(),
      startDate: "2023-06-01",
      configuredMirrors: [
        {
          id: MIRROR_ID,
          kind: "yum-repo",
          name: "A yum repository without updateinfo",
          majors: [8, 9],
          repoUrlTemplates: [`${yumUrl}/el{major}/`],
          expectedLagHours: 72,
          missingAfterHours: 336,
          staleAfterMinutes: 2880,
          perHostMinIntervalMs: 0,
          egress: { allowPrivateNetwork: true },
        },
      ],
    });
    setDbForTests(harness.database.db);
    setConfigForTests(harness.config);

    const released = harness.simulator.timeline.packages.filter(
      (pkg) => pkg.isMainStream && pkg.releasedAt >= new Date("2023-06-01") && pkg.releasedAt < FIRST_POLL,
    );
    // Held back from the first poll: the only main-stream package of its advisory for its major, so that the advisory's lag is its lag.
    heldBack = released.find(
      (pkg) => released.filter((other) => other.advisoryId === pkg.advisoryId && other.major === pkg.major).length === 1,
    )!;
    expect(heldBack).toBeDefined();
    beforeTracking = released.filter((pkg) => pkg !== heldBack);
    yum.publish(beforeTracking, FIRST_POLL);
    await runPollCycle(harness.deps);
  });
  afterAll(async () => {
    setDbForTests(undefined);
    setConfigForTests(undefined);
    await harness?.close();
    await new Promise((resolve) => yum?.server.close(resolve));
  });

  describe("after its first poll", () => {
    it("stores every build it found as published before tracking, with no lag and no publication time", async () => {
      const verdicts = await harness.database.db.verdict.findMany({ where: { mirrorId: MIRROR_ID, status: "published" } });
      expect(verdicts.length).toBeGreaterThanOrEqual(beforeTracking.length / 2);
      expect(new Set(verdicts.map((verdict) => JSON.stringify([verdict.lagTimeOrigin, verdict.lagSeconds, verdict.publishedAt])))).toEqual(
        new Set([JSON.stringify(["before_tracking", null, null])]),
      );
    });

    it("says so in the advisory's API answer: no lag, no publication time, the build there at our first look", async () => {
      const sample = beforeTracking[0];
      const verdict = await verdictOf(sample.advisoryId, sample.nevra);
      expect(verdict).toMatchObject({
        status: "published",
        statusReason: null,
        lagSeconds: null,
        publishedAt: null,
        lagTimeOrigin: "before_tracking",
        lagPrecisionSeconds: null,
        isTimeSuspect: false,
        evidence: { firstSeenAt: FIRST_POLL.toISOString(), lastAbsentAt: null, publishedAt: null, publishedAtOrigin: null },
      });
    });

    it("shows 'published before tracking' on the advisory page, with no duration", async () => {
      const sample = beforeTracking[0];
      const detail = AdvisoryDetailResponse.parse(
        await getJson(
          getAdvisoryRoute(new Request(`${BASE}/advisories/${sample.advisoryId}`), { params: Promise.resolve({ id: sample.advisoryId }) }),
        ),
      );
      const client = makeQueryClient();
      client.setQueryData(endpointQueryKey(getAdvisoryEndpoint, { params: { id: sample.advisoryId } }), detail);
      const html = renderToStaticMarkup(
        createElement(QueryClientProvider, { client }, createElement(AdvisoryPackages, { id: sample.advisoryId })),
      );
      // The table row of that mirror (the page's summary above the table names it too).
      const row = html
        .split("<tr")
        .slice(1)
        .find((candidate) => candidate.includes("A yum repository without updateinfo"));
      expect(row).toBeDefined();
      const text = row!
        .replace(/<[^>]+>/g, " ")
        .replaceAll("&#x27;", "'")
        .replace(/\s+/g, " ");
      expect(text).toContain("published before tracking no lag: there at srcwatch's first look");
      expect(text).toContain("there at our first look");
      expect(row).toContain(
        "the build was already there when srcwatch first looked at this mirror (first seen 2023-06-20 00:00 UTC), and the mirror gives no time of its own",
      );
    });

    it("lists the advisory as published before tracking in the updates list and the package history", async () => {
      const sample = beforeTracking[0];
      const list = AdvisoryListResponse.parse(await getJson(listAdvisoriesRoute(new Request(`${BASE}/advisories?q=${sample.advisoryId}`))));
      expect(list.items[0].statuses.find((status) => status.mirrorId === MIRROR_ID)).toMatchObject({
        status: "published",
        lagSeconds: null,
        lagTimeOrigin: "before_tracking",
      });
      const history = PackageHistoryResponse.parse(
        await getJson(getPackageRoute(new Request(`${BASE}/packages/${sample.name}`), { params: Promise.resolve({ name: sample.name }) })),
      );
      const build = history.advisories
        .find((entry) => entry.advisoryId === sample.advisoryId)!
        .builds.find((candidate) => candidate.major === sample.major)!;
      expect(build.verdicts.find((verdict) => verdict.mirrorId === MIRROR_ID)).toMatchObject({
        status: "published",
        lagSeconds: null,
        publishedAt: null,
        lagTimeOrigin: "before_tracking",
        firstSeenAt: FIRST_POLL.toISOString(),
      });
    });

    it("counts them as published in the mirror's history, with no lag percentile and no week of publication", async () => {
      const history = await getMirrorHistory(MIRROR_ID, { bucket: "week" }, { now: FIRST_POLL });
      const totals = history.buckets.reduce(
        (sum, bucket) => ({
          releasedPublished: sum.releasedPublished + bucket.releasedPublished,
          published: sum.published + bucket.published,
          lags: sum.lags + (bucket.lag?.count ?? 0),
        }),
        { releasedPublished: 0, published: 0, lags: 0 },
      );
      expect(totals.releasedPublished).toBeGreaterThan(0);
      expect(totals).toMatchObject({ published: 0, lags: 0 });
    });

    it("gives the overview the mirror page's last publication: the release of the last update it had, marked a lower bound", async () => {
      const history = await getMirrorHistory(MIRROR_ID, { bucket: "week" }, { now: FIRST_POLL });
      for (const major of [8, 9]) {
        const releases = beforeTracking.filter((pkg) => pkg.major === major).map((pkg) => pkg.releasedAt.getTime());
        const stop = history.publishing.majors.find((entry) => entry.major === major)!.stop;
        const { publishing } = await summaryRowOf(major);
        expect(stop.lastPublishedAt, `RHEL ${major}`).toBe(new Date(Math.max(...releases)).toISOString());
        expect(publishing, `RHEL ${major}`).toMatchObject({ lastPublishedAt: stop.lastPublishedAt, isLastPublishedLowerBound: true });
        // The strip has no day for them: when they were published is not known.
        expect(
          publishing.days.every((count) => count === null || count === 0),
          `RHEL ${major}`,
        ).toBe(true);
      }
    });

    it("keeps the held-back package open, as asked about and not found (not 'not checked yet')", async () => {
      const verdict = await verdictOf(heldBack.advisoryId, heldBack.nevra);
      expect(["pending", "delayed", "missing"]).toContain(verdict.status);
      expect(verdict).toMatchObject({ statusReason: null, lagSeconds: null, lagTimeOrigin: null });
    });

    it("writes an empty lag, never 0, and the before_tracking origin in the missing-update CSV", async () => {
      const response = await getMissingCsvRoute(new Request(`${BASE}/reports/missing.csv?mirror=git.centos.org`));
      expect(response.status).toBe(200);
      const [header, ...rows] = parseCsv(await response.text());
      const column = (name: string) => header.indexOf(name);
      expect(column("Lag there (hours)")).toBeGreaterThan(-1);
      expect(column("Lag time origin")).toBeGreaterThan(-1);
      const fromPlainYum = rows.flatMap((row) => {
        const sources = row[column("Available from")].split("; ");
        const at = sources.indexOf("A yum repository without updateinfo");
        return at === -1
          ? []
          : [{ lag: row[column("Lag there (hours)")].split("; ")[at], origin: row[column("Lag time origin")].split("; ")[at] }];
      });
      expect(fromPlainYum.length).toBeGreaterThan(0);
      expect(new Set(fromPlainYum.map((entry) => JSON.stringify(entry)))).toEqual(
        new Set([JSON.stringify({ lag: "", origin: "before_tracking" })]),
      );
    });

    it.each([8, 9])("leaves them out of the median lag, the lag badge and /metrics for RHEL %i", async (major) => {
      const row = await summaryRowOf(major);
      expect(row.counts.published).toBeGreaterThan(0);
      expect(row.medianLagSeconds).toBeNull();
      expect(row.beforeTrackingCount).toBeGreaterThanOrEqual(row.counts.published);
      expect((await getBadge({ mirrorId: MIRROR_ID, major, metric: "lag", now: FIRST_POLL })).message).toBe("lag p90 n/a");
      const { text } = await collectMetrics();
      expect(text).not.toMatch(new RegExp(`srcwatch_lag_seconds\\{mirror="${MIRROR_ID}"`));
      expect(text).toMatch(new RegExp(`srcwatch_verdicts\\{mirror="${MIRROR_ID}",major="${major}",status="published"\\} [1-9]`));
    });
  });

  describe("after a second poll that finds a new build", () => {
    beforeAll(async () => {
      yum.publish([...beforeTracking, heldBack], SECOND_POLL);
      harness.clock.set(SECOND_POLL);
      await runPollCycle(harness.deps);
    });

    it("measures its lag to our first sight, labelled as an upper bound with the time between the two polls as precision", async () => {
      const verdict = await verdictOf(heldBack.advisoryId, heldBack.nevra);
      const issuedAt = (await harness.database.db.advisory.findUniqueOrThrow({ where: { id: heldBack.advisoryId } })).issuedAt;
      expect(verdict).toMatchObject({
        status: "published",
        lagSeconds: (SECOND_POLL.getTime() - issuedAt.getTime()) / 1000,
        publishedAt: SECOND_POLL.toISOString(),
        lagTimeOrigin: "first_seen",
        lagPrecisionSeconds: 6 * 3600,
        evidence: { firstSeenAt: SECOND_POLL.toISOString(), lastAbsentAt: FIRST_POLL.toISOString(), publishedAt: null },
      });
    });

    it("counts that lag alone in the median, the builds published before tracking still left out", async () => {
      const row = await summaryRowOf(heldBack.major);
      const verdict = await verdictOf(heldBack.advisoryId, heldBack.nevra);
      expect(row.medianLagSeconds).toBe(verdict.lagSeconds);
      expect(row.beforeTrackingCount).toBeGreaterThan(0);
      const list = AdvisoryListResponse.parse(
        await getJson(listAdvisoriesRoute(new Request(`${BASE}/advisories?q=${heldBack.advisoryId}`))),
      );
      expect(list.items[0].statuses.find((status) => status.mirrorId === MIRROR_ID)).toMatchObject({
        status: "published",
        lagSeconds: verdict.lagSeconds,
        lagTimeOrigin: "first_seen",
        lagPrecisionSeconds: 6 * 3600,
      });
    });

    it("leaves the builds of the first poll published before tracking", async () => {
      const sample = beforeTracking[0];
      expect(await verdictOf(sample.advisoryId, sample.nevra)).toMatchObject({ lagSeconds: null, lagTimeOrigin: "before_tracking" });
    });
  });
});
