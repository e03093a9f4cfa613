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

test("no page scrolls sideways, on a phone (390 px) or a desktop (1400 px)", async ({ page, isMobile }) => {
  const width = isMobile ? 390 : 1400;
  await page.setViewportSize({ width, height: isMobile ? 844 : 900 });
  const pages = await listAppPages(page.request);
  test.setTimeout(30_000 + pages.length * 8_000);
  for (const { name, path } of pages) {
    await test.step(`${name} (${path}) at ${width} px`, async () => {
      await page.goto(path);
      await expect(page.locator("main")).toBeVisible();
      await page.waitForLoadState("networkidle");
      const layout = await page.evaluate(() => {
        const root = document.documentElement;
        // What sticks out, for the failure message: the outermost elements whose right edge passes the viewport's.
        const overflowing = [...document.querySelectorAll("body *")]
          .filter((element) => element.getBoundingClientRect().right > root.clientWidth + 0.5)
          .filter((element) => !element.parentElement || element.parentElement.getBoundingClientRect().right <= root.clientWidth + 0.5)
          .slice(0, 5)
          .map(
            (element) =>
              `${element.tagName.toLowerCase()}${element.className ? `.${String(element.className).split(/\s+/).join(".")}` : ""}`,
          );
        return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, innerWidth: window.innerWidth, overflowing };
      });
      expect(layout.innerWidth, `${name}: the viewport was not widened to fit the page`).toBe(width);
      expect(layout.scrollWidth, `${name} scrolls sideways at ${width} px: ${layout.overflowing.join(", ")}`).toBeLessThanOrEqual(
        layout.clientWidth,
      );
    });
  }
});
