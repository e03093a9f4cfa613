import { renderToString } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import SubscribeConfirmPage from "../../app/subscribe/confirm/page";
import SubscribePage from "../../app/subscribe/page";
import ManageSubscriptionPage from "../../app/subscriptions/manage/page";
import UnsubscribePage from "../../app/unsubscribe/page";
import type { SrcwatchConfig } from "../../core/config";
import { setConfigForTests } from "../../server/config/get-config";
import { parseConfig } from "../../server/config/load-config";
import { setDbForTests } from "../../server/db/client";
import { getSigningSecret, signSubscriptionToken, type TokenPurpose } from "../../server/subscriptions/subscription-tokens";
import { unsubscribe } from "../../server/subscriptions/unsubscribe";
import { createTestDatabase, testDatabaseProvider, type TestDatabase } from "../support/test-database";
import { encodeSubscriptionScope } from "../../core/subscription-scope";

function buildConfig(withEmail: boolean): SrcwatchConfig {
  return parseConfig(
    {
      upstreams: [{ id: "feed", kind: "csaf", name: "Feed", baseUrl: "http://127.0.0.1:1/", startDate: "2023-01-01", majors: [8, 9] }],
      mirrors: [
        {
          id: "git.centos.org",
          kind: "git-forge",
          name: "CentOS Git",
          majors: [8, 9],
          repoUrlTemplate: "http://127.0.0.1:1/{name}.git",
          tagTemplate: "imports/c{major}/{nvr}",
          tagWebUrlTemplate: "x",
        },
      ],
      notifications: withEmail ? { email: { smtp: { host: "127.0.0.1" }, from: "srcwatch <alerts@srcwatch.test>" } } : {},
    },
    "pages test",
  );
}

type Page = (props: { searchParams: Promise<Record<string, string | string[] | undefined>> }) => Promise<React.ReactElement>;
async function render(page: Page, searchParams: Record<string, string | string[]>): Promise<string> {
  return renderToString(await page({ searchParams: Promise.resolve(searchParams) }));
}

const checkedValues = (html: string, name: string) =>
  [...html.matchAll(/<input([^>]*)>/g)]
    .map((match) => match[1])
    .filter((attributes) => attributes.includes(`name="${name}"`) && /\bchecked=""/.test(attributes))
    .map((attributes) => /value="([^"]*)"/.exec(attributes)?.[1]);

describe(`subscription pages (${testDatabaseProvider()})`, () => {
  let database: TestDatabase;
  let token: (subscription: { id: number; tokenVersion: number }, purpose: TokenPurpose) => string;

  beforeAll(async () => {
    database = await createTestDatabase();
    setDbForTests(database.db);
    setConfigForTests(buildConfig(true));
    const secret = await getSigningSecret(database.db);
    token = (subscription, purpose) =>
      signSubscriptionToken(secret, { subscriptionId: subscription.id, purpose, version: subscription.tokenVersion, issuedAt: Date.now() });
  });
  afterAll(async () => {
    setDbForTests(undefined);
    setConfigForTests(undefined);
    await database?.drop();
  });

  const createSubscription = (status: string) =>
    database.db.subscription.create({
      data: {
        email: `${status}-${Math.random()}@example.org`,
        status,
        scope: encodeSubscriptionScope({
          mirrors: ["git.centos.org"],
          majors: [8],
          kinds: ["publishing_stopped"],
          severities: [],
          packagePatterns: ["kernel*"],
        }),
        delivery: "daily",
        reminders: "weekly",
        createdAt: new Date(),
      },
    });

  it("presets the subscribe form from the query string, ignoring values this server does not know", async () => {
    const html = await render(SubscribePage as Page, {
      mirror: ["git.centos.org", "evil.example"],
      major: "8,7",
      kind: "update_delayed",
      package: "openssl",
    });
    expect(html).toContain('<label for="subscription-email"');
    expect(checkedValues(html, "mirror")).toEqual(["git.centos.org"]);
    expect(checkedValues(html, "major")).toEqual(["8"]);
    expect(checkedValues(html, "kind")).toEqual(["update_delayed"]);
    expect(checkedValues(html, "delivery")).toEqual(["immediate"]);
    // Reminders default to daily; a link may preset another choice.
    expect(checkedValues(html, "reminders")).toEqual(["daily"]);
    expect(checkedValues(await render(SubscribePage as Page, { reminders: "never" }), "reminders")).toEqual(["never"]);
    expect(checkedValues(await render(SubscribePage as Page, { reminders: "hourly" }), "reminders")).toEqual(["daily"]);
    expect(html).toContain('value="openssl"');
    expect(html).toContain("<legend");
  });

  it("says so instead of showing the form when email is not configured", async () => {
    setConfigForTests(buildConfig(false));
    try {
      const html = await render(SubscribePage as Page, {});
      expect(html).toContain("Email alerts are not available on this server");
      expect(html).not.toContain('name="email"');
    } finally {
      setConfigForTests(buildConfig(true));
    }
  });

  it("shows a confirm button for a genuine confirmation link and a clear message for any other", async () => {
    const pending = await createSubscription("pending");
    const valid = await render(SubscribeConfirmPage as Page, { token: token(pending, "confirm") });
    expect(valid).toContain("Confirm your subscription</button>");
    expect((await database.db.subscription.findUniqueOrThrow({ where: { id: pending.id } })).status).toBe("pending");
    for (const searchParams of [{ token: token(pending, "manage") }, { token: "garbage" }, {}] as Record<string, string>[]) {
      const html = await render(SubscribeConfirmPage as Page, searchParams);
      expect(html).toContain("This confirmation link does not work");
      expect(html).not.toContain("</button>");
    }
  });

  it("opens the manage form preset with the subscription, and refuses links that are not manage links", async () => {
    const active = await createSubscription("active");
    const html = await render(ManageSubscriptionPage as Page, { token: token(active, "manage") });
    expect(html).toContain(active.email);
    expect(checkedValues(html, "mirror")).toEqual(["git.centos.org"]);
    expect(checkedValues(html, "delivery")).toEqual(["daily"]);
    expect(checkedValues(html, "reminders")).toEqual(["weekly"]);
    expect(html).toContain('value="kernel*"');
    expect(html).toContain("Unsubscribe</button>");
    expect(await render(ManageSubscriptionPage as Page, { token: token(active, "unsubscribe") })).toContain(
      "This link does not open a subscription",
    );
  });

  it("offers one unsubscribe button, then says it is done for a second visit", async () => {
    const active = await createSubscription("active");
    const unsubscribeToken = token(active, "unsubscribe");
    expect(await render(UnsubscribePage as Page, { token: unsubscribeToken })).toContain("Unsubscribe</button>");
    expect((await database.db.subscription.findUniqueOrThrow({ where: { id: active.id } })).status).toBe("active");
    await unsubscribe(database.db, { token: unsubscribeToken, now: new Date() });
    const again = await render(UnsubscribePage as Page, { token: unsubscribeToken });
    expect(again).toContain("You are already unsubscribed");
    expect(await render(UnsubscribePage as Page, { token: token(active, "confirm") })).toContain("This unsubscribe link does not work");
  });
});
