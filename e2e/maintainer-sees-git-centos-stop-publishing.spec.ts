import { expect, test } from "./fixtures";

const MIRROR = "git.centos.org";
/** git.centos.org stops importing on this day in the demo scenario; each major's last publication comes before. */
const CUTOFF_DAY = "2023-06-14";
/** The June 2023 story: git.centos.org's last RHEL 8 import in the replayed advisory stream. */
const RHEL8_STOP_DAY = "2023-06-05";
/** One sentence per stopped major, as the publish-rate chart's caption (and so the figure's name) says it. */
const STOP_SENTENCE = String.raw`git\.centos\.org stopped publishing RHEL (\d+): it published 0 of the \d+ RHEL (\d+) updates? released since its last publication on (\d{4}-\d\d-\d\d) \d\d:\d\d UTC\.`;
const STOP_SUMMARY = new RegExp(`^${STOP_SENTENCE}(?: ${STOP_SENTENCE})*$`);

/** Each stopped major and the day of its last publication, read from the caption; a sentence counts its own major's updates. */
function readStops(summary: string): { major: number; day: string }[] {
  return [...summary.matchAll(new RegExp(STOP_SENTENCE, "g"))].map((match) => {
    expect(match[2], match[0]).toBe(match[1]);
    return { major: Number(match[1]), day: match[3] };
  });
}

/** The Monday (UTC) of the week a day falls in: the chart's weekly bucket. */
function weekOf(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  return date.toISOString().slice(0, 10);
}

/** The chart's stop lines: one per week in which majors stopped, "RHEL 8 stopped 2023-06-05" or "RHEL 8 and 9 stopped …". */
function expectedStopLines(stops: { major: number; day: string }[]): string[] {
  const byWeek = new Map<string, { majors: number[]; day: string }>();
  for (const { major, day } of stops) {
    const line = byWeek.get(weekOf(day)) ?? { majors: [], day };
    line.majors.push(major);
    if (day < line.day) line.day = day;
    byWeek.set(weekOf(day), line);
  }
  return [...byWeek.values()]
    .map(({ majors, day }) => {
      const sorted = majors.toSorted((a, b) => a - b);
      const names = sorted.length === 1 ? `RHEL ${sorted[0]}` : `RHEL ${sorted.slice(0, -1).join(", ")} and ${sorted.at(-1)}`;
      return `${names} stopped ${day}`;
    })
    .toSorted();
}

test("a maintainer sees on the git.centos.org page when it stopped publishing", async ({
  page,
  saveScreenshot,
  accessibility,
  isMobile,
}) => {
  // The demo clock runs 3 scenario hours per second: the stop shows once updates released after it are overdue.
  test.setTimeout(180_000);

  await test.step("opens git.centos.org from the overview matrix", async () => {
    await page.goto("/");
    const matrix = page.getByRole(isMobile ? "list" : "table", { name: /per mirror and RHEL major/ });
    await expect(matrix).toBeVisible({ timeout: 60_000 });
    await matrix.getByRole("link", { name: MIRROR, exact: true }).first().click();
    await expect(page).toHaveURL(new RegExp(`/mirrors/${MIRROR.replaceAll(".", "\\.")}$`));
    await expect(page.getByRole("heading", { level: 1, name: MIRROR })).toBeVisible();
  });

  const publishRate = page.getByRole("figure", { name: STOP_SUMMARY });
  await test.step("reads in the publish-rate chart's summary that RHEL 8 stopped on 2023-06-05, before the cutoff", async () => {
    await expect(publishRate).toBeVisible({ timeout: 120_000 });
    const summary = (await publishRate.locator("figcaption").textContent()) ?? "";
    const stops = readStops(summary);
    expect(stops.find((stop) => stop.major === 8)?.day, summary).toBe(RHEL8_STOP_DAY);
    for (const stop of stops) expect(stop.day < CUTOFF_DAY, summary).toBe(true);
    await expect(publishRate.locator(".recharts-bar-rectangle").first()).toBeVisible();
    // One marked line per week in which majors stopped, each naming them and the day.
    const lines = expectedStopLines(stops);
    await expect(publishRate.locator(".recharts-reference-line")).toHaveCount(lines.length);
    // recharts draws the lines' labels in a layer of their own: read every label of the chart that says "stopped".
    const labels = publishRate.locator("svg text").filter({ hasText: / stopped \d{4}-\d\d-\d\d$/ });
    expect((await labels.allTextContents()).map((text) => text.trim()).toSorted()).toEqual(lines);
    await expect(publishRate.getByText(new RegExp(`^RHEL 8(?:, \\d+)*(?: and \\d+)? stopped ${RHEL8_STOP_DAY}$`))).toBeVisible();
    await publishRate.scrollIntoViewIfNeeded();
    await saveScreenshot("01-publish-rate-chart", publishRate);
  });

  await test.step("reads the same stop, with its date, in the per-major publishing status", async () => {
    const status = page.getByRole("region", { name: "Is it publishing?" });
    await expect(
      status.getByText(new RegExp(`^RHEL 8: stopped publishing — nothing since ${RHEL8_STOP_DAY} \\d\\d:\\d\\d UTC$`)),
    ).toBeVisible();
    await expect(
      status.getByText(/^\d+ updates? released since, none published; \d+ of them older than the normal lag of /).first(),
    ).toBeVisible();
  });

  await test.step("would see the stop in the link preview of the mirror page, with the same date", async () => {
    // The preview is the page as first served: served again now that the stop shows.
    await page.reload();
    await expect(publishRate).toBeVisible({ timeout: 60_000 });
    const description = await page.locator('meta[property="og:description"]').getAttribute("content");
    expect(description).toContain(`RHEL 8: stopped publishing on ${RHEL8_STOP_DAY}, `);
    expect(await page.locator('meta[property="og:title"]').getAttribute("content")).toBe(`${MIRROR} · srcwatch`);
  });

  await test.step("finds the numbers behind the chart: nothing published in the weeks after the cutoff", async () => {
    await publishRate.getByText("Show the numbers").click();
    const table = page.getByRole("table", { name: `Carried RHEL updates released and published on ${MIRROR} per week` });
    await expect(table).toBeVisible();
    // The demo clock keeps running: every week from the one after the cut-off to now published nothing.
    const weeksAfterCutoff = table
      .getByRole("row")
      .filter({ has: page.getByRole("rowheader", { name: /^2023-(06-(19|2\d|3\d)|0[7-9]-\d\d)$/ }) });
    await expect(weeksAfterCutoff.first()).toBeVisible();
    for (const week of await weeksAfterCutoff.all()) await expect(week.getByRole("cell").nth(3)).toHaveText("0");
  });

  await test.step("sees our polling of it, the lag chart, the polling strips and the recent poll runs", async () => {
    // Named for what it is: srcwatch's polling of the mirror, not the mirror's publishing.
    await expect(page.getByRole("heading", { name: "Our polling of this mirror" })).toBeVisible();
    await expect(page.getByRole("figure", { name: /^(Lag of the updates released|No update released)/ })).toBeVisible();
    const days = page.getByRole("list", { name: "Last 30 days" });
    await expect(days.getByRole("img")).toHaveCount(30);
    // The demo clock moves ~45 scenario hours between two refetches, so which days are gaps changes under the test;
    // the integration test pins gap days exactly. Here: every day says ok, failing or "no poll, no data".
    for (const cell of await days.getByRole("img").all()) {
      await expect(cell).toHaveAccessibleName(/: (ok \(\d+ successful|failing|no poll, no data$)/);
    }
    await expect(days.getByRole("img", { name: /: ok \(\d+ successful/ }).first()).toBeVisible();
    await expect(
      page
        .getByRole("table", { name: new RegExp(`most recent polls of ${MIRROR.replaceAll(".", "\\.")}`) })
        .getByRole("row")
        .nth(1),
    ).toBeVisible();
    await saveScreenshot("02-mirror-page");
  });

  await test.step("has no serious accessibility violation, in light and dark mode", async () => {
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      expect(await accessibility.listSeriousViolations(), scheme).toEqual([]);
    }
    await saveScreenshot("03-mirror-page-dark");
  });
});
