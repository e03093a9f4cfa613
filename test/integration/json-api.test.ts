import { describe, expect, it } from "vitest";
import { GET as getAdvisoryRoute } from "../../app/api/v1/advisories/[id]/route";
import { GET as listAdvisoriesRoute } from "../../app/api/v1/advisories/route";
import { GET as listMirrorsRoute } from "../../app/api/v1/mirrors/route";
import { GET as listPollRunsRoute } from "../../app/api/v1/poll-runs/route";
import { GET as getSummaryRoute } from "../../app/api/v1/summary/route";
import type { AdvisoryDetailResponse, AdvisoryListResponse } from "../../contract/advisory-dto";
import type { MirrorsResponse } from "../../contract/mirror-dto";
import type { PollRunsResponse } from "../../contract/poll-run-dto";
import type { SummaryResponse } from "../../contract/summary-dto";
import { testDatabaseProvider } from "../support/test-database";
import { useHarnessForWebReads, pollAtStartAndAt } from "../support/use-harness-for-web-reads";
import type { WorkerHarness } from "../support/worker-harness";

const BASE = "http://srcwatch.test/api/v1";

async function getJson<T>(response: Response | Promise<Response>, status = 200): Promise<T> {
  const resolved = await response;
  expect(resolved.status).toBe(status);
  expect(resolved.headers.get("content-type")).toMatch(/application\/json/);
  return (await resolved.json()) as T;
}

describe(`the JSON API on polled data (${testDatabaseProvider()})`, () => {
  let harness: WorkerHarness;
  useHarnessForWebReads({ start: "2023-06-10T00:00:00Z", startDate: "2023-06-01" }, async (started) => {
    harness = started;
    await pollAtStartAndAt(harness, ["2023-06-16", "2023-06-24"]);
  });

  it("summarises mirror × major with the same counts the database holds", async () => {
    const summary = await getJson<SummaryResponse>(getSummaryRoute(new Request(`${BASE}/summary`)));
    const rhel8 = summary.rows.find((row) => row.mirrorId === "git.centos.org" && row.major === 8);
    expect(rhel8).toBeDefined();
    expect(rhel8!.counts.published).toBeGreaterThan(0);
    expect(rhel8!.counts.missing).toBeGreaterThan(0);
    expect(rhel8!.medianLagSeconds).toBeGreaterThan(0);
    const advisoriesWithRhel8 = await harness.database.db.advisory.count({ where: { packages: { some: { major: 8 } } } });
    expect(Object.values(rhel8!.counts).reduce((sum, count) => sum + count, 0)).toBe(advisoriesWithRhel8);
    expect(summary.advisoryCount).toBe(await harness.database.db.advisory.count());
  });

  it("filters the updates list to missing RHEL 8 updates on a mirror, paginated", async () => {
    const list = await getJson<AdvisoryListResponse>(
      listAdvisoriesRoute(new Request(`${BASE}/advisories?verdict=missing&mirror=git.centos.org&major=8&pageSize=2&order=asc`)),
    );
    expect(list.total).toBeGreaterThan(0);
    expect(list.items.length).toBeLessThanOrEqual(2);
    for (const item of list.items) {
      expect(item.majors).toContain(8);
      expect(item.statuses.find((status) => status.mirrorId === "git.centos.org")?.status).toBe("missing");
    }
    const cutoff = harness.simulator.timeline.cutoff!.toISOString();
    expect(list.items.every((item) => item.issuedAt >= cutoff)).toBe(true);
    if (list.items.length === 2) expect(list.items[0].issuedAt <= list.items[1].issuedAt).toBe(true);
  });

  it("leaves out, under a mirror filter, the updates that mirror does not carry unless asked to show them", async () => {
    const db = harness.database.db;
    const carried = await db.advisory.count({
      where: { updates: { some: { mirrorId: "git.centos.org", major: 8, status: { not: "not_applicable" } } } },
    });
    const all = await db.advisory.count({ where: { updates: { some: { mirrorId: "git.centos.org", major: 8 } } } });
    expect(all, "the scenario has RHEL 8 updates git.centos.org does not carry").toBeGreaterThan(carried);
    const hidden = await getJson<AdvisoryListResponse>(
      listAdvisoriesRoute(new Request(`${BASE}/advisories?mirror=git.centos.org&major=8`)),
    );
    expect(hidden.total).toBe(carried);
    expect(
      hidden.items.every((item) => item.statuses.find((status) => status.mirrorId === "git.centos.org")?.status !== "not_applicable"),
    ).toBe(true);
    const shown = await getJson<AdvisoryListResponse>(
      listAdvisoriesRoute(new Request(`${BASE}/advisories?mirror=git.centos.org&major=8&notApplicable=show`)),
    );
    expect(shown.total).toBe(all);
    // A verdict filter says itself what to show: n/a on asking for it.
    const asked = await getJson<AdvisoryListResponse>(
      listAdvisoriesRoute(new Request(`${BASE}/advisories?mirror=git.centos.org&major=8&verdict=not_applicable`)),
    );
    expect(asked.total).toBe(all - carried);
  });

  it("finds an advisory by package name and by id", async () => {
    const detailSource = await harness.database.db.package.findFirstOrThrow({ where: { major: 8 }, orderBy: { id: "asc" } });
    const byName = await getJson<AdvisoryListResponse>(
      listAdvisoriesRoute(new Request(`${BASE}/advisories?q=${encodeURIComponent(detailSource.name)}`)),
    );
    expect(byName.items.map((item) => item.id)).toContain(detailSource.advisoryId);
    const byId = await getJson<AdvisoryListResponse>(
      listAdvisoriesRoute(new Request(`${BASE}/advisories?q=${encodeURIComponent(detailSource.advisoryId.toLowerCase())}`)),
    );
    expect(byId.items.map((item) => item.id)).toEqual([detailSource.advisoryId]);
  });

  it("shows one advisory's packages with verdict, lag and evidence", async () => {
    const published = await harness.database.db.verdict.findFirstOrThrow({ where: { status: "published" }, include: { package: true } });
    const id = published.package.advisoryId;
    const detail = await getJson<AdvisoryDetailResponse>(
      getAdvisoryRoute(new Request(`${BASE}/advisories/${encodeURIComponent(id)}`), {
        params: Promise.resolve({ id: encodeURIComponent(id) }),
      }),
    );
    expect(detail.advisory.id).toBe(id);
    const verdict = detail.packages.flatMap((pkg) => pkg.verdicts).find((entry) => entry.status === "published");
    expect(verdict?.evidence?.url).toMatch(new RegExp(`^${harness.simulator.url}/rpms/`));
    expect(verdict?.evidence?.ref).toMatch(/^refs\/tags\/imports\/c[89]\//);
    expect(verdict?.lagSeconds).toBeGreaterThanOrEqual(0);
    // The API reads what the verdict stores, never a lag of its own.
    const stored = detail.packages
      .find((pkg) => {
        const own = published.package;
        return (
          pkg.name === own.name &&
          pkg.version === own.version &&
          pkg.release === own.release &&
          pkg.major === own.major &&
          pkg.stream === own.stream &&
          pkg.moduleStream === own.moduleStream
        );
      })!
      .verdicts.find((entry) => entry.mirrorId === published.mirrorId);
    expect(stored).toMatchObject({
      status: "published",
      lagSeconds: published.lagSeconds,
      publishedAt: published.publishedAt?.toISOString() ?? null,
      lagTimeOrigin: published.lagTimeOrigin,
      statusReason: null,
    });
  });

  it("answers 404 with a JSON error for an advisory it does not track", async () => {
    const body = await getJson<{ error: { code: string; message: string } }>(
      getAdvisoryRoute(new Request(`${BASE}/advisories/RHSA-1999:0001`), { params: Promise.resolve({ id: "RHSA-1999:0001" }) }),
      404,
    );
    expect(body.error.code).toBe("not_found");
  });

  it.each([
    ["an unknown verdict", "verdict=gone"],
    ["a misspelt parameter", "verdcit=missing"],
    ["a page below 1", "page=0"],
    ["a page size above the cap", "pageSize=5000"],
  ])("answers 400 naming the problem for %s", async (_name, query) => {
    const body = await getJson<{ error: { code: string; message: string } }>(
      listAdvisoriesRoute(new Request(`${BASE}/advisories?${query}`)),
      400,
    );
    expect(body.error.code).toBe("bad_request");
    expect(body.error.message).toMatch(new RegExp(query.split("=")[0]));
  });

  it("lists mirrors with health and the poll runs with their counters", async () => {
    const mirrors = await getJson<MirrorsResponse>(listMirrorsRoute(new Request(`${BASE}/mirrors`)));
    expect(mirrors.mirrors.map((mirror) => mirror.id)).toEqual(["git.centos.org"]);
    expect(mirrors.mirrors[0].health.lastSuccessAt).not.toBeNull();
    expect(mirrors.upstreams[0].health.lastSuccessAt).not.toBeNull();
    const runs = await getJson<PollRunsResponse>(listPollRunsRoute(new Request(`${BASE}/poll-runs?source=redhat-csaf&limit=2`)));
    expect(runs.items).toHaveLength(2);
    expect(runs.items.every((run) => run.sourceId === "redhat-csaf" && run.outcome === "success" && run.requests > 0)).toBe(true);
  });
});
