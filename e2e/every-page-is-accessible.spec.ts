import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

const SCHEMES = ["light", "dark"] as const;

/** Pages a person reaches, with real ids taken from the running app. */
async function listPages(page: Page): Promise<{ name: string; path: string }[]> {
  const response = await page.request.get("/api/v1/advisories?verdict=published&mirror=git.centos.org&pageSize=1");
  const body = (await response.json()) as { items: { id: string; packages: string[] }[] };
  const advisory = body.items[0];
  const packageName = advisory.packages[0].replace(/-\d+:.*$/, "");
  const alerts = (await (await page.request.get("/api/v1/alerts?status=all&pageSize=1")).json()) as { items: { id: number }[] };
  return [
    { name: "overview", path: "/" },
    { name: "updates", path: "/updates" },
    { name: "filtered updates", path: "/updates?verdict=missing&mirror=git.centos.org&major=8" },
    { name: "advisory", path: `/advisories/${encodeURIComponent(advisory.id)}` },
    { name: "poll runs", path: "/poll-runs" },
    { name: "missing-update report", path: "/reports/missing?mirror=git.centos.org&major=8" },
    { name: "printable report", path: "/reports/missing/print?mirror=git.centos.org&major=8" },
    { name: "package", path: `/packages/${encodeURIComponent(packageName)}` },
    { name: "search", path: `/search?q=${encodeURIComponent(packageName)}` },
    { name: "mirror", path: "/mirrors/git.centos.org" },
    { name: "not found", path: "/advisories/RHSA-1999:0001" },
    { name: "alerts", path: "/alerts" },
    ...(alerts.items[0] ? [{ name: "alert", path: `/alerts/${alerts.items[0].id}` }] : []),
    { name: "subscribe", path: "/subscribe?mirror=git.centos.org&major=8" },
    { name: "confirm (bad link)", path: "/subscribe/confirm?token=x" },
    { name: "manage (bad link)", path: "/subscriptions/manage?token=x" },
    { name: "unsubscribe", path: "/unsubscribe?token=x" },
  ];
}

for (const scheme of SCHEMES) {
  test(`every page has no serious or critical accessibility violation in ${scheme} mode`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    for (const { name, path } of await listPages(page)) {
      await test.step(`${name} (${path})`, async () => {
        await page.goto(path);
        await expect(page.locator("main")).toBeVisible();
        await page.waitForLoadState("networkidle");
        const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
        const serious = results.violations
          .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
          .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.map((node) => node.target.join(" ")).slice(0, 3).join("; ")}`);
        expect(serious, `${name} in ${scheme} mode`).toEqual([]);
      });
    }
  });
}

test("a keyboard user reaches the filters and an advisory without a mouse", async ({ page }) => {
  await page.goto("/updates");
  const search = page.getByRole("search", { name: "Filter updates" }).getByRole("searchbox");
  for (let presses = 0; presses < 30 && !(await search.evaluate((element) => element === document.activeElement)); presses++) {
    await page.keyboard.press("Tab");
  }
  await expect(search).toBeFocused();
  const firstAdvisory = page.getByRole("table").getByRole("rowheader").first().getByRole("link");
  await firstAdvisory.focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/advisories\//);
});
