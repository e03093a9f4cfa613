import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getAdvisoryRoute } from "../../app/api/v1/advisories/[id]/route";
import { GET as listAdvisoriesRoute } from "../../app/api/v1/advisories/route";
import { GET as getFeed } from "../../app/feeds/alerts.atom/route";
import { NotificationsConfig } from "../../core/config";
import { setConfigForTests } from "../../server/config/get-config";
import { setDbForTests } from "../../server/db/client";
import type { AdvisoryDetailResponse, AdvisoryListResponse } from "../../contract/advisory-dto";
import { HOSTILE_SELF_LINKS } from "../../simulator/csaf/build-csaf-document";
import { deliverOutbox } from "../../worker/deliver-outbox";
import { runPollCycle } from "../../worker/run-poll-cycle";
import type { WorkerDeps } from "../../worker/worker-deps";
import { testDatabaseProvider } from "../support/test-database";
import { startWebhookReceiver, type WebhookReceiver } from "../support/start-webhook-receiver";
import { startWorkerHarness, type WorkerHarness } from "../support/worker-harness";

const HOUR_MS = 3_600_000;
const OFF_SITE_HOST = new URL(HOSTILE_SELF_LINKS["off-site"]("RHSA-2023:1")).host;
const WEBHOOK_FORMATS = ["json", "slack", "matrix"] as const;
const ALL_KINDS = { kinds: ["publishing_stopped", "update_missing", "update_delayed", "mirror_stale"] };

/** A fresh advisory link would be one of these; none may survive anywhere we render. */
function expectNoHostileLink(text: string): void {
  expect(text).not.toMatch(/javascript:/i);
  expect(text).not.toContain(OFF_SITE_HOST);
}

describe(`a CSAF feed serving hostile self links, through the real worker (${testDatabaseProvider()})`, () => {
  let harness: WorkerHarness;
  let deps: WorkerDeps;
  let receiver: WebhookReceiver;
  const logLines: Array<{ level: number; msg: string; count?: number; first?: Array<{ item: string; url: string }> }> = [];
  const javascriptPhaseIds: string[] = [];
  const offSitePhaseIds: string[] = [];

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    const webhookOrigin = receiver.origin;

    // git.centos.org stops importing before the start: every advisory released from then on is delayed, then missing.
    harness = await startWorkerHarness({
      start: "2023-06-05T00:00:00Z",
      startDate: "2023-06-01",
      cutoff: "2023-06-01T00:00:00Z",
      mirrorOverrides: { expectedLagHours: 1, missingAfterHours: 2 },
    });
    const notifications = NotificationsConfig.parse({
      publicUrl: "https://srcwatch.example.org",
      webhooks: WEBHOOK_FORMATS.map((format) => ({
        id: `hook-${format}`,
        url: `${webhookOrigin}/${format}`,
        format,
        scope: ALL_KINDS,
        timeoutMs: 2_000,
      })),
    });
    const logStream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) logLines.push(JSON.parse(line) as (typeof logLines)[number]);
        done();
      },
    });
    deps = { ...harness.deps, config: { ...harness.config, notifications }, logger: pino({ level: "warn" }, logStream) };

    harness.simulator.setFault("csaf", { mode: "javascript-self-link" });
    await runPollCycle(deps);
    javascriptPhaseIds.push(...(await harness.database.db.advisory.findMany({ select: { id: true } })).map((row) => row.id));
    harness.simulator.setFault("csaf", { mode: "off-site-self-link" });
    for (let step = 0; step < 8; step++) {
      harness.clock.advance(6 * HOUR_MS);
      await runPollCycle(deps);
    }
    const all = (await harness.database.db.advisory.findMany({ select: { id: true } })).map((row) => row.id);
    offSitePhaseIds.push(...all.filter((id) => !javascriptPhaseIds.includes(id)));
    for (let pass = 0; pass < 50; pass++) if ((await deliverOutbox(deps, { limit: 50 })).claimed === 0) break;

    setDbForTests(harness.database.db);
    setConfigForTests(deps.config);
  }, 300_000);
  afterAll(async () => {
    setDbForTests(undefined);
    setConfigForTests(undefined);
    await receiver?.close();
    await harness?.close();
  });

  it("stores every advisory with the access.redhat.com link built from the template", async () => {
    expect(javascriptPhaseIds.length).toBeGreaterThan(0);
    expect(offSitePhaseIds.length).toBeGreaterThan(0);
    const advisories = await harness.database.db.advisory.findMany({ select: { id: true, url: true } });
    for (const advisory of advisories) expect(advisory.url).toBe(`https://access.redhat.com/errata/${advisory.id}`);
  });

  it("logs each refused link with the advisory it came from", () => {
    const refused = logLines.filter((line) => line.msg.startsWith("refused advisory links"));
    expect(refused.reduce((sum, line) => sum + (line.count ?? 0), 0)).toBe(javascriptPhaseIds.length + offSitePhaseIds.length);
    const logged = refused.flatMap((line) => line.first ?? []);
    expect(logged).toContainEqual({ item: javascriptPhaseIds[0], url: HOSTILE_SELF_LINKS.javascript(javascriptPhaseIds[0]) });
    expect(logged).toContainEqual({ item: offSitePhaseIds[0], url: HOSTILE_SELF_LINKS["off-site"](offSitePhaseIds[0]) });
  });

  it("serves an Atom feed with alerts that carries no javascript: and no off-site advisory link", async () => {
    const response = await getFeed(new Request("http://srcwatch.test/feeds/alerts.atom"));
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(text).toContain("<entry>");
    expect(text).toContain('href="https://access.redhat.com/errata/');
    expectNoHostileLink(text);
  });

  it.each(WEBHOOK_FORMATS)("posts %s webhook payloads that carry no javascript: and no off-site advisory link", (format) => {
    const bodies = receiver.received.filter((request) => request.path === `/${format}`).map((request) => request.body);
    expect(bodies.length).toBeGreaterThan(0);
    for (const body of bodies) expectNoHostileLink(body);
    expect(bodies.join("\n")).toContain("https://access.redhat.com/errata/");
  });

  it("answers the advisory API with the link built from the template", async () => {
    for (const id of [javascriptPhaseIds[0], offSitePhaseIds[0]]) {
      const response = await getAdvisoryRoute(new Request(`http://srcwatch.test/api/v1/advisories/${encodeURIComponent(id)}`), {
        params: Promise.resolve({ id: encodeURIComponent(id) }),
      });
      expect(response.status).toBe(200);
      const detail = (await response.json()) as AdvisoryDetailResponse;
      expect(detail.advisory.url).toBe(`https://access.redhat.com/errata/${id}`);
    }
  });

  it("rebuilds links stored before links were checked, in the API and in the feed", async () => {
    const db = harness.database.db;
    const alert = await db.alert.findFirstOrThrow({
      where: { events: { some: { notified: true, type: "fired" } }, details: { contains: "advisoryUrl" } },
    });
    const id = (JSON.parse(alert.details) as { items: Array<{ advisoryId: string }> }).items[0].advisoryId;
    const storedUrl = HOSTILE_SELF_LINKS.javascript(id);
    await db.advisory.update({ where: { id }, data: { url: storedUrl } });
    await db.alert.update({
      where: { id: alert.id },
      data: { details: alert.details.replaceAll(`https://access.redhat.com/errata/${id}`, storedUrl) },
    });
    for (const event of await db.alertEvent.findMany({ where: { alertId: alert.id } })) {
      await db.alertEvent.update({
        where: { id: event.id },
        data: { details: event.details.replaceAll(`https://access.redhat.com/errata/${id}`, storedUrl) },
      });
    }
    expect(JSON.stringify(await db.alertEvent.findMany({ where: { alertId: alert.id } }))).toContain("javascript:");

    const detail = (await (
      await getAdvisoryRoute(new Request(`http://srcwatch.test/api/v1/advisories/${encodeURIComponent(id)}`), {
        params: Promise.resolve({ id: encodeURIComponent(id) }),
      })
    ).json()) as AdvisoryDetailResponse;
    expect(detail.advisory.url).toBe(`https://access.redhat.com/errata/${id}`);
    const list = (await (
      await listAdvisoriesRoute(new Request(`http://srcwatch.test/api/v1/advisories?q=${encodeURIComponent(id)}`))
    ).json()) as AdvisoryListResponse;
    expect(list.items.map((item) => item.url)).toEqual([`https://access.redhat.com/errata/${id}`]);
    const feed = await (await getFeed(new Request("http://srcwatch.test/feeds/alerts.atom"))).text();
    expect(feed).toContain(id);
    expectNoHostileLink(feed);
  });
});
