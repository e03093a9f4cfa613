import { expect, test } from "./fixtures";

const MIRROR = "git.centos.org";
/** The published advisory the member compares against must predate this day. */
const PUBLISHED_BEFORE = "2023-06-14";

test("a community member checks which RHEL 8 updates are missing on git.centos.org", async ({ page, saveScreenshot, isMobile }) => {
  await test.step("opens the overview and sees the mirror × RHEL matrix", async () => {
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    // A table on a desktop; on a phone a card per mirror × major, every figure visible without scrolling sideways.
    await expect(page.getByRole(isMobile ? "list" : "table", { name: /per mirror and RHEL major/ })).toBeVisible({ timeout: 60_000 });
    await saveScreenshot("01-overview");
  });

  await test.step("sees in one screen that git.centos.org stopped publishing RHEL 8 on 2023-06-05 and the others kept publishing", async () => {
    const matrix = page.getByRole(isMobile ? "list" : "table", { name: /per mirror and RHEL major/ });
    const stopped = matrix.getByRole("link", { name: "stopped: nothing since 2023-06-05" });
    // The stop fires once enough updates are overdue (2023-06-14 on the scenario clock).
    await expect(async () => {
      await page.reload();
      await expect(stopped).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 120_000 });
    await expect(stopped).toHaveCount(1);
    // Without scrolling sideways: the stop's date is inside the window.
    const box = (await stopped.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(page.viewportSize()!.width);
    for (const other of ["AlmaLinux errata", "Rocky Linux errata", "Oracle Linux SRPMs"]) {
      const entry = matrix.getByRole(isMobile ? "listitem" : "row").filter({ hasText: `${other} · RHEL 8` });
      const text = await entry.innerText();
      const last = /last published (\d{4}-\d\d-\d\d)/.exec(text)?.[1];
      expect(last, `${other}: ${text}`).toBeDefined();
      expect(last! > "2023-06-05", `${other} kept publishing after git.centos.org stopped`).toBe(true);
      await expect(entry.getByRole("img", { name: /updates? published in the last 90 days, the last on/ })).toBeVisible();
    }
    await saveScreenshot("01b-overview-shows-the-stop");
  });

  await test.step("follows the count of missing RHEL 8 updates on git.centos.org", async () => {
    await page.getByRole("link", { name: new RegExp(`^\\d+ missing on ${MIRROR.replaceAll(".", "\\.")} for RHEL 8$`) }).click();
    await expect(page).toHaveURL(/\/updates\?/);
    const url = new URL(page.url());
    expect(url.searchParams.get("mirror")).toBe(MIRROR);
    expect(url.searchParams.get("major")).toBe("8");
    expect(url.searchParams.get("verdict")).toBe("missing");

    const filters = page.getByRole("search", { name: "Filter updates" });
    await expect(filters.getByRole("checkbox", { name: "missing" })).toBeChecked();
    await expect(filters.getByRole("combobox", { name: "Mirror" })).toHaveValue(MIRROR);
    await expect(filters.getByRole("combobox", { name: "RHEL major" })).toHaveValue("8");

    const results = page.getByRole("table", { name: /^Missing updates for RHEL 8 on git\.centos\.org/ });
    await expect(results).toBeVisible();
    await expect(results.getByRole("rowheader").first()).toBeVisible();
    await saveScreenshot("02-missing-rhel8-on-centos");
  });

  await test.step("opens the first missing advisory and sees why", async () => {
    const results = page.getByRole("table", { name: /^Missing updates/ });
    const firstLink = results.getByRole("rowheader").first().getByRole("link");
    const advisoryId = (await firstLink.textContent())?.trim() ?? "";
    expect(advisoryId).toMatch(/^RH[SBE]A-\d{4}:\d+$/);
    await firstLink.click();

    await expect(page.getByRole("heading", { level: 1, name: advisoryId })).toBeVisible();
    const packages = page.getByRole("table", { name: /source packages? of .* and their verdict per mirror/ });
    await expect(packages.getByRole("row").filter({ hasText: MIRROR }).filter({ hasText: "missing" }).first()).toBeVisible();
    await saveScreenshot("03-missing-advisory");
  });

  let evidenceHref = "";
  await test.step(`opens a published advisory issued before ${PUBLISHED_BEFORE}`, async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Updates" }).click();
    const filters = page.getByRole("search", { name: "Filter updates" });
    await filters.getByRole("combobox", { name: "Mirror" }).selectOption(MIRROR);
    await filters.getByRole("combobox", { name: "RHEL major" }).selectOption("8");
    await filters.getByRole("checkbox", { name: "published" }).check();
    await filters.getByRole("combobox", { name: "Sort" }).selectOption({ label: "Oldest first" });

    const results = page.getByRole("table", { name: /^Published updates for RHEL 8 on git\.centos\.org, oldest first/ });
    await expect(results).toBeVisible();
    const firstRow = results
      .getByRole("row")
      .filter({ has: page.getByRole("rowheader") })
      .first();
    const issuedAt = await firstRow.locator("time").first().getAttribute("datetime");
    expect(issuedAt, "the oldest published update").not.toBeNull();
    expect(issuedAt! < PUBLISHED_BEFORE).toBe(true);
    await saveScreenshot("04-published-rhel8-on-centos");

    const link = firstRow.getByRole("rowheader").getByRole("link");
    const advisoryId = (await link.textContent())?.trim() ?? "";
    await link.click();
    await expect(page.getByRole("heading", { level: 1, name: advisoryId })).toBeVisible();

    const evidence = page.getByRole("link", { name: new RegExp(`^Evidence on ${MIRROR.replaceAll(".", "\\.")}: `) }).first();
    await expect(evidence).toBeVisible();
    evidenceHref = (await evidence.getAttribute("href")) ?? "";
    expect(evidenceHref).toMatch(/^https?:\/\//);
    await saveScreenshot("05-published-advisory");
  });

  await test.step("follows the evidence link to the forge's commit page", async () => {
    await page
      .getByRole("link", { name: new RegExp(`^Evidence on ${MIRROR.replaceAll(".", "\\.")}: `) })
      .first()
      .click();
    await page.waitForURL(evidenceHref);
    const sha = /\/c\/([0-9a-f]{7,40})/.exec(evidenceHref)?.[1];
    expect(sha, "the evidence link names a commit").toBeTruthy();
    await expect(page.getByRole("heading", { level: 1, name: /^rpms\// })).toBeVisible();
    await expect(page.getByText(sha!, { exact: true })).toBeVisible();
    await saveScreenshot("06-forge-commit-page");
  });
});
