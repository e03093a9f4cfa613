import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getFeed } from "../../app/feeds/alerts.atom/route";
import { setConfigForTests } from "../../server/config/get-config";
import { parseConfig } from "../../server/config/load-config";
import { setDbForTests } from "../../server/db/client";
import { alertItem, insertAlert } from "../support/alert-fixtures";
import { createTestDatabase, testDatabaseProvider, type TestDatabase } from "../support/test-database";

const ORIGIN = "https://alerts.example.org";
const HOUR_MS = 3_600_000;
const now = new Date("2023-06-20T12:00:00Z");
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * HOUR_MS);
const HOSTILE = `<script>alert("x")</script> & ]]> 'q' \u0007bell`;

const config = parseConfig({
  upstreams: [{ id: "feed", kind: "csaf", name: "Feed", baseUrl: "http://127.0.0.1:1/", startDate: "2023-01-01", majors: [8, 9] }],
  mirrors: [
    {
      id: "git.centos.org",
      kind: "git-forge",
      name: "git.centos.org",
      majors: [8, 9],
      repoUrlTemplate: "http://127.0.0.1:1/{name}.git",
      tagTemplate: "imports/c{major}/{nvr}",
      tagWebUrlTemplate: "x",
    },
    {
      id: "forge",
      kind: "git-forge",
      name: "The Forge",
      majors: [8],
      repoUrlTemplate: "http://127.0.0.1:1/{name}.git",
      tagTemplate: "imports/c{major}/{nvr}",
      tagWebUrlTemplate: "x",
    },
  ],
  notifications: { publicUrl: `${ORIGIN}/` },
});

interface AtomEntry {
  id: string;
  title: string;
  updated: string;
  href: string;
  content: string;
}
type Text = string | { "#text": string };
interface AtomDocument {
  feed: {
    id: string;
    title: Text;
    updated: string;
    link: { "@_rel": string; "@_href": string }[];
    entry?: { id: string; title: Text; updated: string; link: { "@_href": string }[]; content: Text }[];
  };
}

const textOf = (value: Text) => (typeof value === "string" ? value : value["#text"]);

async function fetchFeed(query = "", headers: Record<string, string> = {}) {
  const response = await getFeed(new Request(`http://srcwatch.test/feeds/alerts.atom${query}`, { headers }));
  return { response, text: await response.text() };
}

function parseFeed(xml: string): { feed: AtomDocument["feed"] & { titleText: string }; entries: AtomEntry[] } {
  expect(XMLValidator.validate(xml)).toBe(true);
  const document = new XMLParser({
    ignoreAttributes: false,
    parseTagValue: false,
    isArray: (name) => name === "entry" || name === "link",
  }).parse(xml) as AtomDocument;
  const entries = (document.feed.entry ?? []).map((entry) => ({
    id: entry.id,
    title: textOf(entry.title),
    updated: entry.updated,
    href: entry.link[0]["@_href"],
    content: textOf(entry.content),
  }));
  return { feed: { ...document.feed, titleText: textOf(document.feed.title) }, entries };
}

describe(`the alerts Atom feed (${testDatabaseProvider()})`, () => {
  let database: TestDatabase;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    database = await createTestDatabase();
    setDbForTests(database.db);
    setConfigForTests(config);
    const db = database.db;
    ids.stop = await insertAlert(db, {
      kind: "publishing_stopped",
      mirrorId: "git.centos.org",
      major: 8,
      status: "resolved",
      startsAt: hoursAgo(30),
      resolvedAt: hoursAgo(2),
      // The headline is computed from the details: hostile text reaches it through the mirror's stored name.
      mirrorName: `git.centos.org ${HOSTILE}`,
      items: [alertItem("RHSA-2023:3001", { at: now, ageHours: 40, title: HOSTILE })],
      stop: {
        lastPublishedAt: hoursAgo(60).toISOString(),
        normalLagHours: 9.5,
        normalLagSource: "learned",
        percentile: 95,
        historySize: 42,
        releasedSinceCount: 3,
        overdueSinceCount: 3,
      },
    });
    ids.folded = await insertAlert(db, {
      kind: "update_missing",
      mirrorId: "git.centos.org",
      major: 8,
      status: "firing",
      startsAt: hoursAgo(29),
      inhibitedById: ids.stop,
      events: [
        { type: "fired", at: hoursAgo(29), notified: false, quietReason: "inhibited" },
        { type: "uninhibited", at: hoursAgo(2) },
      ],
    });
    ids.silenced = await insertAlert(db, {
      kind: "update_delayed",
      mirrorId: "forge",
      major: 8,
      status: "firing",
      startsAt: hoursAgo(5),
      events: [{ type: "fired", at: hoursAgo(5), notified: false, quietReason: "silenced:1" }],
    });
    ids.stale = await insertAlert(db, {
      kind: "mirror_stale",
      mirrorId: "forge",
      major: null,
      status: "firing",
      startsAt: hoursAgo(3),
      stale: {
        lastSuccessAt: null,
        staleAfterMinutes: 360,
        lastErrorKind: "network",
        lastErrorMessage: "ECONNREFUSED",
        consecutiveFailures: 4,
      },
    });
  });
  afterAll(async () => {
    setDbForTests(undefined);
    setConfigForTests(undefined);
    await database?.drop();
  });

  it("serves well-formed Atom: one entry per notified fire or resolve, newest first, with stable tag ids and absolute links", async () => {
    const { response, text } = await fetchFeed();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    const { feed, entries } = parseFeed(text);
    expect(feed.link.find((link) => link["@_rel"] === "self")?.["@_href"]).toBe(`${ORIGIN}/feeds/alerts.atom`);
    const events = await database.db.alertEvent.findMany({
      where: { notified: true, type: { in: ["fired", "resolved", "uninhibited"] } },
      orderBy: [{ at: "desc" }, { id: "desc" }],
    });
    expect(entries.map((entry) => entry.id)).toEqual(
      events.map((event) => `tag:alerts.example.org,2026:alert/${event.alertId}/event/${event.id}`),
    );
    expect(events.map((event) => event.alertId)).toEqual([ids.folded, ids.stop, ids.stale, ids.stop]);
    expect(entries.map((entry) => entry.title.split(":")[0])).toEqual(["FIRING", "RESOLVED", "FIRING", "FIRING"]);
    expect(entries.map((entry) => entry.href)).toEqual(events.map((event) => `${ORIGIN}/alerts/${event.alertId}`));
    expect(entries.map((entry) => entry.updated)).toEqual(events.map((event) => event.at.toISOString()));
    expect(feed.updated).toBe(hoursAgo(2).toISOString());
  });

  it("escapes hostile strings in titles and content, and drops characters XML cannot carry", async () => {
    const { text } = await fetchFeed("?status=resolved");
    const { entries } = parseFeed(text);
    expect(entries).toHaveLength(1);
    const [entry] = entries;
    // type="html": the parsed title is HTML whose text is the summary as written.
    expect(entry.title).toBe(
      "RESOLVED: git.centos.org &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; ]]&gt; &#39;q&#39; bell stopped publishing RHEL 8: nothing since 2023-06-18, 3 updates overdue",
    );
    expect(entry.content).not.toContain("<script>");
    expect(entry.content).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; ]]&gt;");
    expect(text).not.toContain("\u0007");
    expect(entry.content).toContain(`<a href="${ORIGIN}/advisories/RHSA-2023%3A3001">RHSA-2023:3001</a>`);
    expect(entry.content).toContain('href="https://access.redhat.com/errata/RHSA-2023:3001"');
    expect(entry.content).toContain("the p95 of its last 42 publications");
  });

  it("filters by mirror, major, kind and status, mirror-wide alerts matching every major", async () => {
    const hrefs = async (query: string) =>
      parseFeed((await fetchFeed(query)).text).entries.map((entry) => Number(entry.href.split("/").pop()));
    expect(await hrefs("?mirror=forge")).toEqual([ids.stale]);
    expect(await hrefs("?major=9")).toEqual([ids.stale]);
    expect(await hrefs("?kind=publishing_stopped&status=firing")).toEqual([ids.stop]);
    expect(await hrefs("?mirror=git.centos.org&major=8&kind=update_missing,publishing_stopped")).toEqual([ids.folded, ids.stop, ids.stop]);
    const { feed } = parseFeed((await fetchFeed("?mirror=git.centos.org&major=8")).text);
    expect(feed.titleText).toBe("srcwatch alerts: git.centos.org · RHEL 8");
    expect(feed.link.find((link) => link["@_rel"] === "self")?.["@_href"]).toBe(
      `${ORIGIN}/feeds/alerts.atom?mirror=git.centos.org&major=8`,
    );
  });

  it("answers an empty but valid feed when nothing matches", async () => {
    const { response, text } = await fetchFeed("?mirror=nowhere");
    expect(response.status).toBe(200);
    expect(parseFeed(text).entries).toEqual([]);
  });

  it.each([["?status=pending"], ["?kind=outage"], ["?major=eight"], ["?since=2023-01-01"], ["?mirror=%07%3Cx%3E"]])(
    "answers 400 in plain text to %s",
    async (query) => {
      const { response, text } = await fetchFeed(query);
      expect(response.status).toBe(400);
      expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
      expect(text).toMatch(/Invalid query parameter/);
    },
  );

  it("answers 304 while If-None-Match still matches and a new ETag once an alert changes", async () => {
    const first = await fetchFeed();
    const etag = first.response.headers.get("etag")!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const again = await fetchFeed("", { "If-None-Match": etag });
    expect(again.response.status).toBe(304);
    expect(again.text).toBe("");
    await insertAlert(database.db, {
      kind: "update_missing",
      mirrorId: "forge",
      major: 8,
      status: "resolved",
      startsAt: hoursAgo(1),
      resolvedAt: hoursAgo(0.5),
    });
    const changed = await fetchFeed("", { "If-None-Match": etag });
    expect(changed.response.status).toBe(200);
    expect(changed.response.headers.get("etag")).not.toBe(etag);
  });
});
