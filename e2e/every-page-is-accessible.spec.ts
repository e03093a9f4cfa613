import { expect, test } from "./fixtures";
import { listAppPages } from "./support/list-app-pages";

const SCHEMES = ["light", "dark"] as const;

for (const scheme of SCHEMES) {
  test(`every page has no serious or critical accessibility violation in ${scheme} mode`, async ({ page, accessibility }) => {
    await page.emulateMedia({ colorScheme: scheme });
    const pages = await listAppPages(page.request);
    // axe takes seconds per page while the demo's worker keeps the CPU busy: a budget per page, not one for the whole list.
    test.setTimeout(30_000 + pages.length * 12_000);
    for (const { name, path } of pages) {
      await test.step(`${name} (${path})`, async () => {
        await page.goto(path);
        await expect(page.locator("main")).toBeVisible();
        await page.waitForLoadState("networkidle");
        expect(await accessibility.listSeriousViolations(), `${name} in ${scheme} mode`).toEqual([]);
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
