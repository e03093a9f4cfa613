import { renderToString } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import AlertPage from "../../app/alerts/[id]/page";
import { GET as getAlertRoute } from "../../app/api/v1/alerts/[id]/route";
import { GET as listAlertsRoute } from "../../app/api/v1/alerts/route";
import { GET as getFeed } from "../../app/feeds/alerts.atom/route";
import SubscribePage from "../../app/subscribe/page";
import { ALERT_KIND_DESCRIPTIONS } from "../../components/subscriptions/alert-kind-descriptions";
import type { AlertDetails } from "../../core/alerts/types";
import type { SrcwatchConfig } from "../../core/config";
import { setConfigForTests } from "../../server/config/get-config";
import { parseConfig } from "../../server/config/load-config";
import type { Db } from "../../server/db/client";
import { setDbForTests } from "../../server/db/client";
import { syncConfiguredMirrors } from "../../server/mirrors/sync-configured-mirrors";
import { createMailer } from "../../server/notifications/create-mailer";
import { AlertDetailResponse, AlertListQuery, AlertListResponse } from "../../contract/alert-dto";
import { getAlert } from "../../server/read/get-alert";
import { listAlerts } from "../../server/read/list-alerts";
import { startMailCatcher, type MailCatcher } from "../../simulator/mail/start-mail-catcher";
import { deliverOutbox } from "../../worker/deliver-outbox";
import {
  createPartialStopDetails,
  createSubscription,
  createTestClock,
  createTestDeps,
  recordAlertEvent,
  smtpSettings,
} from "../support/notification-fixtures";
import { textOfHtml } from "../support/text-of-html";
import { startWebhookReceiver, type WebhookReceiver } from "../support/start-webhook-receiver";
import { createTestDatabase, testDatabaseProvider, type TestDatabase } from "../support/test-database";

const ORIGIN = "https://srcwatch.example.org";
const SENTENCE = "OpenELA published 4 of the last 20 RHEL 8 updates (normally 19 of 20).";
const SUMMARY =
  "OpenELA published 4 of the last 20 RHEL 8 updates (normally 19 of 20); these packages stopped: bash, curl, glibc, kernel, libxml2, nss, openssh, openssl, … (+8 more)";
const OLD_DEFAULT_KINDS = ["publishing_stopped", "update_missing", "mirror_stale"];

function buildConfig(input: { smtpPort: number; webhookOrigin: string }): SrcwatchConfig {
  const forge = {
    kind: "git-forge",
    majors: [8, 9],
    repoUrlTemplate: "http://127.0.0.1:1/{name}.git",
    tagTemplate: "imports/c{major}/{nvr}",
    tagWebUrlTemplate: "x",
  };
  return parseConfig(
    {
      upstreams: [{ id: "feed", kind: "csaf", name: "Feed", baseUrl: "http://127.0.0.1:1/", startDate: "2023-01-01", majors: [8, 9] }],
      mirrors: [
        { id: "openela", name: "OpenELA", ...forge },
        { id: "git.centos.org", name: "git.centos.org", ...forge },
      ],
      notifications: {
        publicUrl: `${ORIGIN}/`,
        email: smtpSettings(input.smtpPort),
        // No scope: the default one, which tells partial stops.
        webhooks: [
          { id: "json-hook", url: `${input.webhookOrigin}/json`, format: "json", timeoutMs: 2_000 },
          { id: "slack-hook", url: `${input.webhookOrigin}/slack`, format: "slack", timeoutMs: 2_000 },
        ],
      },
    },
    "partial stop test",
  );
}

type Page = (props: { searchParams: Promise<Record<string, string | string[] | undefined>> }) => Promise<React.ReactElement>;

const textOf = textOfHtml;

describe(`a partial_stop alert on page, API, mail, webhooks and feed (${testDatabaseProvider()})`, () => {
  let database: TestDatabase;
  let db: Db;
  let catcher: MailCatcher;
  let receiver: WebhookReceiver;
  let config: SrcwatchConfig;
  const clock = createTestClock("2023-06-21T10:00:00Z");
  const stored: AlertDetails = createPartialStopDetails();
  let alertId: number;
  let queued: number;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    catcher = await startMailCatcher({ port: 0 });
    receiver = await startWebhookReceiver();
    config = buildConfig({ smtpPort: catcher.port, webhookOrigin: receiver.origin });
    setDbForTests(db);
    setConfigForTests(config);
    await syncConfiguredMirrors(db, config);

    const now = clock.now();
    await createSubscription(db, { email: "default@example.org", scope: JSON.stringify({}), now });
    // Per-update filters do not hold a partial stop back: like a full stop, it concerns the mirror × major.
    await createSubscription(db, {
      email: "kernel-only@example.org",
      scope: JSON.stringify({ kinds: ["partial_stop"], severities: ["Critical"], packagePatterns: ["kernel*"] }),
      now,
    });
    await createSubscription(db, { email: "old-default@example.org", scope: JSON.stringify({ kinds: OLD_DEFAULT_KINDS }), now });
    await createSubscription(db, { email: "rhel9@example.org", scope: JSON.stringify({ majors: [9] }), now });
    ({ alertId, queued } = await recordAlertEvent(db, config, {
      kind: "partial_stop",
      mirrorId: "openela",
      mirrorName: "OpenELA",
      major: 8,
      summary: SUMMARY,
      items: stored.items,
      evidence: { partialStop: stored.partialStop },
      now,
    }));
    await db.alert.update({ where: { id: alertId }, data: { severity: "Important" } });
  });
  afterAll(async () => {
    setDbForTests(undefined);
    setConfigForTests(undefined);
    await catcher?.close();
    await receiver?.close();
    await database?.drop();
  });

  it("is queued for scopes that list the kind (the default ones included) and the default webhook scope, not for others", async () => {
    expect(queued).toBe(4);
    const rows = await db.outboxMessage.findMany({ where: { alertId }, orderBy: { id: "asc" } });
    expect(rows.map((row) => row.recipient).sort()).toEqual(["default@example.org", "json-hook", "kernel-only@example.org", "slack-hook"]);
    for (const row of rows) expect(JSON.parse(row.payload)).toMatchObject({ matchedAdvisoryIds: [] });
  });

  it("mails every subscriber the rule's numbers, every stopped package and the unpublished updates", async () => {
    const deps = createTestDeps({ db, config, clock, mailer: createMailer(config.notifications) });
    try {
      expect(await deliverOutbox(deps)).toMatchObject({ sent: 4, failed: 0 });
    } finally {
      deps.mailer?.close();
    }
    const mails = catcher.messages();
    expect(mails.map((mail) => mail.to[0]).sort()).toEqual(["default@example.org", "kernel-only@example.org"]);
    for (const mail of mails) {
      expect(mail.subject).toBe(`[srcwatch] FIRING: ${SUMMARY}`);
      for (const body of [mail.text, mail.html ?? ""]) {
        expect(body).toContain(SENTENCE);
        expect(body).toContain("Normal lag of this mirror: 1 d 7 h");
        expect(body).toContain(`Packages it stopped publishing (16): ${stored.partialStop!.stoppedPackages.join(", ")}`);
        expect(body).toContain("Packages still arriving (2): firefox, thunderbird");
        // The five newest (all of one severity), then a link to every one.
        for (const index of [11, 12, 13, 14, 15]) expect(body).toContain(`https://access.redhat.com/errata/RHSA-2023:${4000 + index}`);
        expect(body).not.toContain("RHSA-2023:4010");
        expect(body).toContain(`… and 11 more`);
        expect(body).toContain(`${ORIGIN}/alerts/${alertId}`);
      }
    }
  });

  it("sends the same numbers to the webhooks", () => {
    const json = JSON.parse(receiver.bodyOf("/json")) as {
      alert: { kind: string };
      details: AlertDetails;
    };
    expect(json.alert.kind).toBe("partial_stop");
    expect(json.details.partialStop).toEqual(stored.partialStop);
    expect(json.details.items.map((item) => item.advisoryId)).toEqual(stored.items.map((item) => item.advisoryId));
    const slack = receiver.bodyOf("/slack");
    expect(slack).toContain(`*${SENTENCE}*`);
    expect(slack).toContain("Stopped (16): bash, curl, glibc");
    expect(slack).toContain("Normal lag: 1 d 7 h");
  });

  it("lists it under its kind and answers its numbers from the API, valid against the response schemas", async () => {
    const list = AlertListResponse.parse(await listAlerts(AlertListQuery.parse({ kind: "partial_stop" }), { now: clock.now() }));
    expect(list.items).toEqual([
      expect.objectContaining({
        id: alertId,
        kind: "partial_stop",
        kindLabel: "Mirror stopped some packages",
        mirrorName: "OpenELA",
        itemCount: 16,
      }),
    ]);
    expect((await listAlerts(AlertListQuery.parse({ kind: "publishing_stopped" }), { now: clock.now() })).items).toEqual([]);

    const detail = AlertDetailResponse.parse(await getAlert(alertId, { now: clock.now() }));
    expect(detail.alert.details.partialStop).toEqual(stored.partialStop);
    expect(detail.alert.details.stop).toBeNull();

    const listed = await listAlertsRoute(new Request("http://srcwatch.test/api/v1/alerts?kind=partial_stop&status=firing"));
    expect(listed.status).toBe(200);
    expect(AlertListResponse.parse(await listed.json()).items.map((item) => item.id)).toEqual([alertId]);
    const one = await getAlertRoute(new Request(`http://srcwatch.test/api/v1/alerts/${alertId}`), {
      params: Promise.resolve({ id: String(alertId) }),
    });
    expect(one.status).toBe(200);
    expect(AlertDetailResponse.parse(await one.json()).alert.details.partialStop).toEqual(stored.partialStop);
  });

  it("shows the same numbers and both package lists on the alert page", async () => {
    const html = renderToString(await AlertPage({ params: Promise.resolve({ id: String(alertId) }) }));
    const text = textOf(html);
    expect(text).toContain("Mirror stopped some packages");
    expect(text).toContain("Why it counts as a partial stop");
    expect(text).toContain(SENTENCE);
    expect(text).toContain("Normal lag 1 d 7 h");
    expect(text).toContain("Packages it stopped publishing (16)");
    expect(text).toContain("Packages still arriving (2)");
    for (const name of [...stored.partialStop!.stoppedPackages, ...stored.partialStop!.keptPackages])
      expect(html).toContain(`>${name}</li>`);
    expect(text).toContain("16 updates of the window the mirror has not published");
    for (const item of stored.items) expect(html).toContain(`href="https://access.redhat.com/errata/${item.advisoryId}"`);
  });

  it("tells the same numbers in the Atom feed, filtered by its kind", async () => {
    const response = await getFeed(new Request("http://srcwatch.test/feeds/alerts.atom?kind=partial_stop"));
    expect(response.status).toBe(200);
    const xml = await response.text();
    expect(xml).toContain("<title>srcwatch alerts: Mirror stopped some packages</title>");
    expect(xml.match(/<entry>/g)).toHaveLength(1);
    const content = /<content type="html"><!\[CDATA\[([\s\S]*?)\]\]><\/content>/.exec(xml)![1];
    expect(content).toContain(SENTENCE);
    expect(content).toContain("Normal lag: 1 d 7 h");
    expect(content).toContain(`Stopped packages (16): ${stored.partialStop!.stoppedPackages.join(", ")}`);
    expect(content).toContain("Still arriving (2): firefox, thunderbird");
    const other = await (await getFeed(new Request("http://srcwatch.test/feeds/alerts.atom?kind=publishing_stopped"))).text();
    expect(other).not.toContain("<entry>");
  });

  it("offers the kind, with its description, on the subscribe form, ticked by default", async () => {
    const html = renderToString(await (SubscribePage as Page)({ searchParams: Promise.resolve({}) }));
    const inputs = [...html.matchAll(/<input([^>]*)>/g)]
      .map((match) => match[1])
      .filter((attributes) => attributes.includes('name="kind"'));
    const partial = inputs.find((attributes) => attributes.includes('value="partial_stop"'));
    expect(partial).toBeDefined();
    expect(partial).toMatch(/\bchecked=""/);
    expect(textOf(html)).toContain("Mirror stopped some packages");
    expect(textOf(html)).toContain(ALERT_KIND_DESCRIPTIONS.partial_stop);
    const preset = renderToString(await (SubscribePage as Page)({ searchParams: Promise.resolve({ kind: "partial_stop" }) }));
    const checked = [...preset.matchAll(/<input([^>]*)>/g)]
      .map((match) => match[1])
      .filter((attributes) => attributes.includes('name="kind"') && /\bchecked=""/.test(attributes));
    expect(checked.map((attributes) => /value="([^"]*)"/.exec(attributes)?.[1])).toEqual(["partial_stop"]);
  });
});
