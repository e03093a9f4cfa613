import { readFile } from "node:fs/promises";
import type { Page } from "@playwright/test";
import { parseCsv } from "../test/support/parse-csv";
import { expect, test } from "./fixtures";

const MIRROR = "git.centos.org";
const FROM = "2023-06-01";
const TO = "2023-07-31";

interface ShownRow {
  advisory: string;
  mirror: string;
  status: string;
  majors: string;
  packages: string;
  availableFrom: string;
  /** Per "Available from" mirror, in order: its lag as the table shows it ("45 min", "≤ 30 d 19 h", "published before tracking"). */
  lags: string[];
}

/** One "Available from" entry: "OpenELA (related build) · lag ≤ 30 d 19 h (1 of 2)". */
const AVAILABLE_FROM_ENTRY = /^(.*?)(?: \(related build\))?(?: · (published before tracking|lag (.+?)))?(?: \(\d+ of \d+\))?$/;

/** Seconds of a lag as formatDuration writes it ("2 d 3 h", "1 h 30 min", "45 s"), and the unit it was truncated to. */
function parseDuration(text: string): { seconds: number; unit: number } {
  const units: Record<string, number> = { d: 86_400, h: 3600, min: 60, s: 1 };
  const parts = [...text.matchAll(/(\d+) (d|h|min|s)\b/g)];
  expect(parts.length, `a duration: "${text}"`).toBeGreaterThan(0);
  expect(parts.map((part) => part[0]).join(" "), `a duration: "${text}"`).toBe(text);
  const last = parts[parts.length - 1][2];
  // "3 d" is written when the hours are 0: it is precise to the hour, like "3 d 4 h".
  return { seconds: parts.reduce((sum, part) => sum + Number(part[1]) * units[part[2]], 0), unit: last === "d" ? 3600 : units[last] };
}

/**
 * The CSV says the same lag as the table: "Lag there (hours)" (one decimal) against the table's coarse duration, and
 * "Lag time origin" against its marks — "≤" for an upper bound (first_seen), no lag for a build published before tracking.
 */
function expectSameLag(shown: string, csvHours: string, csvOrigin: string, label: string): void {
  if (shown === "published before tracking") {
    expect({ csvHours, csvOrigin }, label).toEqual({ csvHours: "", csvOrigin: "before_tracking" });
    return;
  }
  if (shown === "") {
    expect({ csvHours, csvOrigin }, `${label}: no lag shown`).toEqual({ csvHours: "", csvOrigin: "" });
    return;
  }
  expect(csvOrigin, label).not.toBe("before_tracking");
  expect(csvOrigin === "first_seen", `${label}: "≤" marks a first-seen upper bound`).toBe(shown.startsWith("≤ "));
  if (shown.endsWith("unknown")) {
    expect(csvHours, label).toBe("");
    return;
  }
  expect(csvHours, label).toMatch(/^'?-?\d+\.\d$/);
  // The CSV neutralises a leading "-" against spreadsheet formulas; the table shows a negative lag as 0.
  const csvSeconds = Math.max(0, Number(csvHours.replace(/^'/, "")) * 3600);
  const { seconds, unit } = parseDuration(shown.replace(/^≤ /, ""));
  // The table truncates to its last unit, the CSV rounds to 0.1 h (± 180 s).
  expect(seconds, `${label}: ${shown} against ${csvHours} h`).toBeLessThanOrEqual(csvSeconds + 181);
  expect(seconds + unit, `${label}: ${shown} against ${csvHours} h`).toBeGreaterThan(csvSeconds - 181);
}

async function readTable(page: Page): Promise<ShownRow[]> {
  const table = page.getByRole("table", {
    name: /^Delayed or missing updates on git\.centos\.org for RHEL 8, issued 2023-06-01 – 2023-07-31$/,
  });
  await expect(table).toBeVisible();
  const headers = (await table.getByRole("columnheader").allInnerTexts()).map((text) => text.trim().toLowerCase());
  const column = (name: string) => headers.indexOf(name.toLowerCase()) - 1;
  const rows = table.getByRole("row").filter({ has: page.getByRole("rowheader") });
  const shown: ShownRow[] = [];
  for (const row of await rows.all()) {
    const cells = await row.getByRole("cell").allInnerTexts();
    // The package links; the cell also links each package's repository on the mirror.
    const packages = await row.getByRole("cell").nth(column("Packages")).locator('a[href^="/packages/"]').allInnerTexts();
    const sources = (await row.getByRole("cell").nth(column("Available from")).getByRole("listitem").allInnerTexts()).map((text) => {
      const entry = AVAILABLE_FROM_ENTRY.exec(text.replace(/\s+/g, " ").trim())!;
      return { mirror: entry[1], lag: entry[2] === "published before tracking" ? entry[2] : (entry[3] ?? "") };
    });
    shown.push({
      advisory: (await row.getByRole("rowheader").getByRole("link").innerText()).trim(),
      mirror: cells[column("Mirror")].trim(),
      status: cells[column("Status")].replace(/[^a-z_]/g, ""),
      majors: cells[column("RHEL")].trim(),
      packages: packages.map((text) => text.trim()).join(" "),
      // No source: the cell says "nowhere yet", the CSV leaves it empty.
      availableFrom: sources.length > 0 ? sources.map((source) => source.mirror).join("; ") : cells[column("Available from")].trim(),
      lags: sources.map((source) => source.lag),
    });
  }
  return shown;
}

test("a SIG lead exports the RHEL 8 updates missing on git.centos.org over June and July 2023", async ({
  page,
  saveScreenshot,
}, testInfo) => {
  await test.step("opens the report from the main navigation", async () => {
    await page.goto("/");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Report" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Missing-update report" })).toBeVisible();
  });

  await test.step("builds the report for git.centos.org, RHEL 8, June 1 – July 31 2023", async () => {
    const filters = page.getByRole("form", { name: "Report filters" });
    await filters.getByRole("group", { name: "Mirrors" }).getByRole("checkbox", { name: MIRROR }).check();
    await filters.getByRole("checkbox", { name: "RHEL 8" }).check();
    await filters.getByLabel("Issued from").fill(FROM);
    await filters.getByLabel("Issued to").fill(TO);
    await filters.getByRole("button", { name: "Build report" }).click();

    await expect(page).toHaveURL(/\/reports\/missing\?/);
    const url = new URL(page.url());
    expect(url.searchParams.getAll("mirror")).toEqual([MIRROR]);
    expect(url.searchParams.getAll("major")).toEqual(["8"]);
    expect(url.searchParams.get("from")).toBe(FROM);
    expect(url.searchParams.get("to")).toBe(TO);
    const shown = await readTable(page);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.every((row) => row.mirror === MIRROR && row.majors === "8" && ["missing", "delayed"].includes(row.status))).toBe(true);
    expect(shown.some((row) => row.availableFrom !== "nowhere yet")).toBe(true);
    await saveScreenshot("01-rhel8-report-on-centos");
  });

  await test.step("downloads the CSV and finds the rows of the table", async () => {
    // The demo's clock runs fast: a verdict may move (delayed → missing) between the page and the download; read both again then.
    await expect(async () => {
      await page.reload();
      const shown = await readTable(page);
      const total = Number(/^(\d+) /.exec(await page.getByRole("status").filter({ hasText: "delayed or missing" }).innerText())?.[1]);
      const downloadPromise = page.waitForEvent("download");
      await page.getByRole("link", { name: "Download CSV" }).click();
      const download = await downloadPromise;
      expect(download.suggestedFilename()).toMatch(
        new RegExp(
          `^srcwatch-missing-updates-${MIRROR.replace(/\./g, "\\.")}-rhel8-released-${FROM}-to-${TO}-as-of-\\d{4}-\\d\\d-\\d\\d\\.csv$`,
        ),
      );
      const csvPath = testInfo.outputPath(download.suggestedFilename());
      await download.saveAs(csvPath);
      const [header, ...rows] = parseCsv(await readFile(csvPath, "utf8"));
      const at = (name: string) => header.indexOf(name);
      expect(header).toEqual(
        expect.arrayContaining([
          "Advisory",
          "Mirror",
          "Status",
          "RHEL",
          "Packages",
          "Available from",
          "Lag there (hours)",
          "Lag time origin",
        ]),
      );
      expect(rows).toHaveLength(total);
      expect(
        rows.slice(0, shown.length).map((row) => ({
          advisory: row[at("Advisory")],
          mirror: row[at("Mirror")],
          status: row[at("Status")],
          majors: row[at("RHEL")],
          packages: row[at("Packages")],
          availableFrom: row[at("Available from")] || "nowhere yet",
        })),
      ).toEqual(shown.map(({ lags: _lags, ...row }) => row));
      // Every source's lag, in the same order as the sources: the table's words and the CSV's numbers agree.
      rows.slice(0, shown.length).forEach((row, index) => {
        const { advisory, lags } = shown[index];
        if (lags.length === 0) {
          expect([row[at("Lag there (hours)")], row[at("Lag time origin")]], advisory).toEqual(["", ""]);
          return;
        }
        const hours = row[at("Lag there (hours)")].split("; ");
        const origins = row[at("Lag time origin")].split("; ");
        expect({ hours: hours.length, origins: origins.length }, advisory).toEqual({ hours: lags.length, origins: lags.length });
        lags.forEach((lag, source) => expectSameLag(lag, hours[source], origins[source], `${advisory}, source ${source + 1}`));
      });
      await testInfo.attach("report.csv", { path: csvPath, contentType: "text/csv" });
    }).toPass({ timeout: 60_000 });
  });

  await test.step("copies the report as Markdown for a bug: a line per package, with the tag git.centos.org should have", async () => {
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    // The demo's clock runs fast: compare with the table as it is when the copy is made.
    await expect(async () => {
      await page.reload();
      const shown = await readTable(page);
      await page.getByRole("button", { name: "Copy as Markdown" }).click();
      await expect(page.getByRole("status").filter({ hasText: /^Copied as Markdown/ })).toBeVisible();
      const markdown = await page.evaluate(() => navigator.clipboard.readText());
      expect(markdown).toMatch(/^### Delayed or missing updates on git\.centos\.org for RHEL 8, issued 2023-06-01 – 2023-07-31\n/);
      for (const row of shown) {
        for (const nevra of row.packages.split(" ")) {
          const [, name, version, release] = /^(.+)-(?:\d+:)?([^-]+)-([^-]+)$/.exec(nevra)!;
          const line = markdown.split("\n").find((candidate) => candidate.includes(`\`${nevra}\``));
          expect(line, `${row.advisory} ${nevra}`).toBeDefined();
          expect(line).toContain(`[${row.advisory}](`);
          expect(line).toContain(`\`imports/c8/${name}-${version}-${release}\` (tag) in [`);
        }
      }
      await testInfo.attach("report.md", { body: markdown, contentType: "text/markdown" });
    }).toPass({ timeout: 60_000 });
    await saveScreenshot("02-copied-as-markdown");
  });

  await test.step("opens the printable view without the site's navigation", async () => {
    await page.getByRole("link", { name: "Printable view" }).click();
    await expect(page.getByRole("heading", { level: 1, name: /Missing-update report/ })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
    await expect(page.getByRole("table", { name: /^Delayed or missing updates on git\.centos\.org for RHEL 8/ })).toBeVisible();
    await saveScreenshot("03-printable-view");
    await page.emulateMedia({ media: "print" });
    await expect(page.getByRole("button", { name: "Print" })).toBeHidden();
    await saveScreenshot("04-printable-view-as-printed");
    // Times on paper are written out, never raw ISO.
    await expect(page.getByRole("table")).not.toContainText(/\d{4}-\d\d-\d\dT\d\d:/);
    await page.emulateMedia({ media: "screen" });
  });

  await test.step("follows a package to its source history across majors", async () => {
    await page.getByRole("link", { name: "Back to the report" }).click();
    const table = page.getByRole("table", { name: /^Delayed or missing updates on git\.centos\.org/ });
    const packageLink = table
      .getByRole("row")
      .filter({ has: page.getByRole("rowheader") })
      .first()
      .getByRole("cell")
      .getByRole("link")
      .first();
    const nevra = (await packageLink.innerText()).trim();
    await packageLink.click();
    const name = nevra.replace(/-[^-]+-[^-]+$/, "");
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    const history = page.getByRole("table", { name: new RegExp(`^Advisories that shipped ${name.replace(/[.+]/g, "\\$&")}`) });
    await expect(history.getByRole("cell", { name: nevra }).first()).toBeVisible();
    await saveScreenshot("05-package-history");
  });
});
