import { expect, test } from "./fixtures";

test("a community member searches a CVE and lands on its advisory", async ({ page, request, isMobile, saveScreenshot }) => {
  let cve = "";
  let advisoryId = "";
  await test.step("picks a CVE fixed by one tracked advisory", async () => {
    // Oldest first, page by page: how far the demo's clock has run decides which advisories exist, and the newest
    // ones often share every CVE with a sibling advisory (RHEL 8 and 9 of the same fix).
    const items: { id: string }[] = [];
    for (let page = 1; page <= 10; page++) {
      const list = (await (
        await request.get(`/api/v1/advisories?type=security&sort=issuedAt&order=asc&pageSize=50&page=${page}`)
      ).json()) as { items: { id: string }[] };
      items.push(...list.items);
      if (list.items.length < 50) break;
    }
    for (const item of items) {
      const detail = (await (await request.get(`/api/v1/advisories/${encodeURIComponent(item.id)}`)).json()) as {
        advisory: { cves: string[] };
      };
      for (const candidate of detail.advisory.cves) {
        const found = (await (await request.get(`/api/v1/search?q=${encodeURIComponent(candidate)}`)).json()) as {
          exactAdvisoryId: string | null;
        };
        if (found.exactAdvisoryId === item.id) {
          cve = candidate;
          advisoryId = item.id;
          break;
        }
      }
      if (cve) break;
    }
    expect(cve, "a CVE of exactly one tracked advisory").toMatch(/^CVE-\d{4}-\d+$/);
  });

  await test.step("focuses the header search with the / shortcut and types the CVE", async () => {
    await page.goto("/updates");
    const search = page.getByRole("search", { name: "Site" }).getByRole("searchbox", { name: "Search advisories, CVEs, packages" });
    await expect(search).toBeVisible();
    if (isMobile) await search.tap();
    else {
      await page.getByRole("heading", { level: 1 }).click();
      await page.keyboard.press("/");
    }
    await expect(search).toBeFocused();
    await page.keyboard.type(cve.toLowerCase());
    await expect(search).toHaveValue(cve.toLowerCase());
    await saveScreenshot("01-cve-typed-in-header-search");
    await page.keyboard.press("Enter");
  });

  await test.step("lands on the advisory that fixes it", async () => {
    await expect(page.getByRole("heading", { level: 1, name: advisoryId })).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`/advisories/${encodeURIComponent(advisoryId).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`));
    await expect(page.getByRole("link", { name: cve })).toBeVisible();
    await saveScreenshot("02-advisory-of-the-cve");
  });

  await test.step("would see what the advisory is if it pasted the link into a chat (its link preview)", async () => {
    const meta = (property: string) => page.locator(`meta[property="${property}"]`).getAttribute("content");
    expect(await meta("og:title")).toBe(`${advisoryId} · srcwatch`);
    // What it is, when it came out, and where it is late or published.
    expect(await meta("og:description")).toMatch(
      /^(\S+ security|Security) advisory released \d{4}-\d\d-\d\d: .+\. (Missing|Delayed|Pending|Not checked yet|Published) on /,
    );
    expect(await meta("og:url")).toMatch(new RegExp(`^https?://[^/]+/advisories/${encodeURIComponent(advisoryId)}$`));
    const image = await meta("og:image");
    expect(image).toMatch(/^https?:\/\/[^/]+\/og\.png$/);
    const preview = await request.get(new URL(image!).pathname);
    expect(preview.status()).toBe(200);
    expect(preview.headers()["content-type"]).toBe("image/png");
  });

  await test.step("searches a package name and sees its history", async () => {
    const packageCell = page
      .getByRole("table", { name: /source packages? of .* and their verdict per mirror/ })
      .getByRole("rowheader")
      .first()
      .getByRole("link");
    const name = (await packageCell.innerText()).trim().replace(/-[^-]+-[^-]+$/, "");
    const search = page.getByRole("search", { name: "Site" }).getByRole("searchbox");
    await search.fill(name);
    await search.press("Enter");
    await expect(page.getByRole("heading", { level: 1, name: `Search results for “${name}”` })).toBeVisible();
    await saveScreenshot("03-package-search-results");
    await page
      .getByRole("region", { name: /^Packages/ })
      .getByRole("link", { name, exact: true })
      .click();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await saveScreenshot("04-package-history");
  });
});
