import { renderToString } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import AlertPage from "../../app/alerts/[id]/page";
import { GET as getAlertRoute } from "../../app/api/v1/alerts/[id]/route";
import { GET as getFeed } from "../../app/feeds/alerts.atom/route";
import { AlertDetailResponse } from "../../contract/alert-dto";
import { MirrorHistoryQuery } from "../../contract/mirror-history-dto";
import { encodeSubscriptionScope } from "../../core/subscription-scope";
import { setConfigForTests } from "../../server/config/get-config";
import { setDbForTests } from "../../server/db/client";
import { createMailer } from "../../server/notifications/create-mailer";
import { getMirrorHistory } from "../../server/read/get-mirror-history";
import { getSummary } from "../../server/read/get-summary";
import { startMailCatcher, type MailCatcher } from "../../simulator/mail/start-mail-catcher";
import { deliverOutbox } from "../../worker/deliver-outbox";
import { runPollCycle } from "../../worker/run-poll-cycle";
import type { WorkerDeps } from "../../worker/worker-deps";
import { smtpSettings } from "../support/notification-fixtures";
import { textOfHtml } from "../support/text-of-html";
import { startWebhookReceiver, type WebhookReceiver } from "../support/start-webhook-receiver";
import { testDatabaseProvider } from "../support/test-database";
import { startWorkerHarness, type WorkerHarness } from "../support/worker-harness";

/**
 * One set of numbers: the stop of git.centos.org RHEL 8 on the june-2023 replay, as the alert page, the API, the
 * mirror page, the mail, the Atom feed and the JSON, Slack and Matrix webhooks tell it. Each channel's figures are read
 * back from what it rendered (not from the stored details) and must be the same figures.
 */

const ORIGIN = "https://srcwatch.example.org";
const CENTOS = "git.centos.org";
const POLL_INTERVAL_MS = 1800_000;
const SLOW_TEST_MS = 400_000;
const OTHER_MIRRORS = ["almalinux-errata", "rocky-errata", "oracle-srpms"];

/** The figures a reader takes away from one channel. */
interface Figures {
  stopDate: string;
  lastPublication: string;
  overdue: number;
  released: number;
  normalLag: string;
  elsewhere: string;
}

const textOf = textOfHtml;

function match(text: string, pattern: RegExp, channel: string): RegExpExecArray {
  const found = pattern.exec(text);
  if (!found) throw new Error(`${channel}: no ${pattern} in ${text.slice(0, 3000)}`);
  return found;
}

/** The headline every channel carries: "… stopped publishing RHEL 8: nothing since DAY, N updates overdue". */
function readHeadline(text: string, channel: string): Pick<Figures, "stopDate" | "overdue"> {
  const [, stopDate, overdue] = match(text, /stopped publishing RHEL 8: nothing since (\d{4}-\d\d-\d\d), (\d+) updates? overdue/, channel);
  return { stopDate, overdue: Number(overdue) };
}

/** "Label: value" facts, as the mail and the feed write them (the page writes "Label value"). */
function readFacts(text: string, channel: string, separator: string): Omit<Figures, "stopDate" | "overdue"> & { overdueInFacts: number } {
  const [, lastPublication] = match(
    text,
    new RegExp(`Last publication(?: for this major)?${separator}(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC)`),
    channel,
  );
  const [, normalLag] = match(text, new RegExp(`Normal lag(?: of this mirror)?${separator}([^\\n<]+?\\))`), channel);
  const [, released, overdueInFacts] = match(
    text,
    new RegExp(`Released since${separator}(\\d+) updates?, (\\d+) past the normal lag`),
    channel,
  );
  const [, elsewhere] = match(
    text,
    /(Already published on [^\n<]+?\.|No other mirror we watch has published (?:it|them) either\.)/,
    channel,
  );
  return { lastPublication, normalLag, released: Number(released), overdueInFacts: Number(overdueInFacts), elsewhere };
}

describe(`one alert, one set of numbers on every channel (${testDatabaseProvider()})`, () => {
  let harness: WorkerHarness;
  let catcher: MailCatcher;
  let receiver: WebhookReceiver;
  let deps: WorkerDeps;
  let alertId: number;

  beforeAll(async () => {
    catcher = await startMailCatcher({ port: 0 });
    receiver = await startWebhookReceiver();
    const hooks = receiver.origin;
    harness = await startWorkerHarness({
      start: "2023-06-10T00:00:00Z",
      startDate: "2023-04-01",
      extraMirrors: OTHER_MIRRORS,
      notifications: {
        publicUrl: `${ORIGIN}/`,
        email: smtpSettings(catcher.port),
        webhooks: (["json", "slack", "matrix"] as const).map((format) => ({
          id: `${format}-hook`,
          url: `${hooks}/${format}`,
          format,
          timeoutMs: 2_000,
          scope: { kinds: ["publishing_stopped"] },
        })),
      },
    });
    deps = { ...harness.deps, mailer: createMailer(harness.config.notifications) };
    setDbForTests(harness.database.db);
    setConfigForTests(harness.config);
    const at = harness.clock.now();
    await harness.database.db.subscription.create({
      data: {
        email: "sig-lead@example.org",
        status: "active",
        scope: encodeSubscriptionScope({
          mirrors: [CENTOS],
          majors: [8],
          kinds: ["publishing_stopped"],
          severities: [],
          packagePatterns: [],
        }),
        createdAt: at,
        confirmedAt: at,
      },
    });
    await runPollCycle(harness.deps);
    while (harness.clock.now() < new Date("2023-06-30T00:00:00Z")) {
      harness.clock.advance(POLL_INTERVAL_MS);
      await runPollCycle(harness.deps);
      const alert = await harness.database.db.alert.findFirst({
        where: { kind: "publishing_stopped", mirrorId: CENTOS, major: 8, status: "firing" },
      });
      if (alert) {
        alertId = alert.id;
        break;
      }
    }
    for (let pass = 0; pass < 10; pass++) if ((await deliverOutbox(deps, { limit: 50 })).claimed === 0) break;
  }, SLOW_TEST_MS);

  afterAll(async () => {
    setDbForTests(undefined);
    setConfigForTests(undefined);
    deps?.mailer?.close();
    await catcher?.close();
    await receiver?.close();
    await harness?.close();
  });

  it(
    "tells the same stop date, overdue count, normal lag with its sample, last publication and other mirrors everywhere",
    async () => {
      expect(alertId).toBeDefined();
      const channels = new Map<string, Figures>();
      const record = (channel: string, headline: Pick<Figures, "stopDate" | "overdue">, facts: ReturnType<typeof readFacts>) => {
        // Within a channel, the headline's overdue count is the one its facts give.
        expect(facts.overdueInFacts, channel).toBe(headline.overdue);
        const { overdueInFacts: _overdue, ...rest } = facts;
        channels.set(channel, { ...headline, ...rest });
      };

      // The API: the numbers as data.
      const apiResponse = await getAlertRoute(new Request(`http://srcwatch.test/api/v1/alerts/${alertId}`), {
        params: Promise.resolve({ id: String(alertId) }),
      });
      const api = AlertDetailResponse.parse(await apiResponse.json()).alert;
      const stop = api.details.stop!;
      expect(api.details.publishedElsewhere).not.toBeNull();
      const elsewhereIds = api.details.publishedElsewhere!.map((mirror) => mirror.mirrorId);
      // The most convincing evidence: the same updates are already on the other rebuilds.
      expect(elsewhereIds).toEqual(expect.arrayContaining(["almalinux-errata", "oracle-srpms"]));
      expect(api.details.publishedElsewhere!.every((mirror) => mirror.count >= 1 && mirror.count <= api.details.items.length)).toBe(true);
      channels.set("api", {
        ...readHeadline(api.summary, "api summary"),
        lastPublication: stop.lastPublishedAt.replace("T", " ").slice(0, 16) + " UTC",
        overdue: stop.overdueSinceCount,
        released: stop.releasedSinceCount,
        normalLag: "",
        elsewhere: "",
      });
      expect(channels.get("api")!.stopDate).toBe(stop.lastPublishedAt.slice(0, 10));
      console.log(`${api.summary}; ${JSON.stringify(stop)}; elsewhere ${JSON.stringify(api.details.publishedElsewhere)}`);

      // The alert page.
      const page = textOf(renderToString(await AlertPage({ params: Promise.resolve({ id: String(alertId) }) })));
      record("page", readHeadline(page, "page"), readFacts(page, "page", " "));
      const fromPage = channels.get("page")!;
      channels.set("api", { ...channels.get("api")!, normalLag: fromPage.normalLag, elsewhere: fromPage.elsewhere });
      expect(fromPage.normalLag).toMatch(new RegExp(`\\(the p${stop.percentile} of its last ${stop.historySize} publications\\)$`));

      // The mail: subject and body.
      const mails = catcher.messages().filter((mail) => /FIRING: git\.centos\.org stopped publishing RHEL 8/.test(mail.subject));
      expect(mails.map((mail) => mail.to)).toEqual([["sig-lead@example.org"]]);
      const [mail] = mails;
      const subject = readHeadline(mail.subject, "mail subject");
      record("mail text", subject, readFacts(mail.text, "mail text", ": "));
      record("mail html", subject, readFacts(textOf(mail.html ?? ""), "mail html", ": "));
      expect(readHeadline(mail.text, "mail body")).toEqual(subject);
      console.log(
        `FIRING mail: ${Buffer.byteLength(mail.text, "utf8")} bytes of text, ${Buffer.byteLength(mail.html ?? "", "utf8")} of HTML`,
      );
      expect(Buffer.byteLength(mail.text, "utf8")).toBeLessThan(4096);

      // The Atom feed: its entry's title and content.
      const xml = await (await getFeed(new Request("http://srcwatch.test/feeds/alerts.atom?kind=publishing_stopped"))).text();
      const entry = match(xml, /<entry>([\s\S]*?)<\/entry>/, "feed")[1];
      const content = textOf(match(entry, /<content type="html"><!\[CDATA\[([\s\S]*?)\]\]><\/content>/, "feed content")[1]);
      const feedTitle = readHeadline(match(entry, /<title type="html"><!\[CDATA\[([\s\S]*?)\]\]><\/title>/, "feed title")[1], "feed title");
      expect(readHeadline(content, "feed content")).toEqual(feedTitle);
      record("feed", feedTitle, readFacts(content, "feed content", ": "));

      // The webhooks: srcwatch's JSON carries the numbers; the chat formats carry the headline and the other mirrors.
      const body = (format: string) => receiver.bodyOf(`/${format}`);
      const json = JSON.parse(body("json")) as {
        alert: { summary: string };
        details: { stop: typeof stop; publishedElsewhere: typeof api.details.publishedElsewhere };
      };
      expect(json.details.stop).toEqual(stop);
      expect(json.details.publishedElsewhere).toEqual(api.details.publishedElsewhere);
      expect(readHeadline(json.alert.summary, "json webhook")).toEqual(readHeadline(api.summary, "api"));
      const slack = (JSON.parse(body("slack")) as { blocks: { text: { text: string } }[] }).blocks[0].text.text;
      expect(readHeadline(slack, "slack")).toEqual(readHeadline(api.summary, "api"));
      expect(slack).toContain(fromPage.elsewhere);
      const matrix = JSON.parse(body("matrix")) as { body: string };
      expect(readHeadline(matrix.body, "matrix")).toEqual(readHeadline(api.summary, "api"));
      expect(matrix.body).toContain(fromPage.elsewhere);

      // The mirror page computes its RHEL 8 stop live, at the same clock: the same figures.
      const history = await getMirrorHistory(CENTOS, MirrorHistoryQuery.parse({}), { now: harness.clock.now() });
      const major8 = history.publishing.majors.find((entry) => entry.major === 8)!;
      expect(major8.stop).toMatchObject({
        lastPublishedAt: stop.lastPublishedAt,
        releasedSinceCount: stop.releasedSinceCount,
        overdueSinceCount: stop.overdueSinceCount,
      });
      expect(history.publishing.normalLag).toMatchObject({ percentile: stop.percentile, historySize: stop.historySize });

      // The overview marks the row stopped with the same date, and shows the others kept publishing after it.
      const summary = await getSummary({ now: harness.clock.now() });
      const centos8 = summary.rows.find((row) => row.mirrorId === CENTOS && row.major === 8)!;
      expect(centos8.publishing).toMatchObject({
        stoppedSince: stop.lastPublishedAt,
        stopAlertId: alertId,
        lastPublishedAt: stop.lastPublishedAt,
      });
      const stopDay = stop.lastPublishedAt.slice(0, 10);
      const daysAfterStop = centos8.publishing.days.slice(
        -Math.round((Date.parse(harness.clock.now().toISOString().slice(0, 10)) - Date.parse(stopDay)) / 86_400_000),
      );
      expect(daysAfterStop.every((count) => count === null || count === 0)).toBe(true);
      for (const mirrorId of ["almalinux-errata", "oracle-srpms"]) {
        const other = summary.rows.find((row) => row.mirrorId === mirrorId && row.major === 8)!;
        expect(other.publishing.stoppedSince, mirrorId).toBeNull();
        expect(other.publishing.lastPublishedAt! > stop.lastPublishedAt, mirrorId).toBe(true);
        expect(
          other.publishing.days.slice(-7).some((count) => (count ?? 0) > 0),
          mirrorId,
        ).toBe(true);
      }

      const expected = channels.get("api")!;
      for (const [channel, figures] of channels) expect(figures, channel).toEqual(expected);
      expect(expected.stopDate).toBe("2023-06-05");
      expect(expected.elsewhere).toMatch(/^Already published on .*AlmaLinux.* \(\d+ of \d+\)/);
    },
    SLOW_TEST_MS,
  );
});
