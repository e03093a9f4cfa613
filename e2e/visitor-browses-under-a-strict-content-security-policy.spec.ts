import type { APIResponse, Page, Response } from "@playwright/test";
import { expect, test } from "./fixtures";
import { listAppPages } from "./support/list-app-pages";

const SCHEMES = ["light", "dark"] as const;
const PAGE_SCRIPT_POLICY = /(?:^|; )script-src 'self' 'nonce-([A-Za-z0-9+/=]{16,})' 'strict-dynamic'(?:;|$)/;
const DATA_POLICY = "default-src 'none'; frame-ancestors 'none'";
const MIRROR = "git.centos.org";

function readHeaders(response: Response | APIResponse): Record<string, string> {
  return response.headers();
}

function expectCommonHeaders(headers: Record<string, string>, label: string): void {
  expect(headers["x-content-type-options"], `${label}: nosniff`).toBe("nosniff");
  expect(headers["referrer-policy"], `${label}: Referrer-Policy`).toBe("strict-origin-when-cross-origin");
  expect(headers["x-frame-options"], `${label}: X-Frame-Options`).toBe("DENY");
  expect(headers["content-security-policy"], `${label}: frame-ancestors`).toContain("frame-ancestors 'none'");
}

function expectPagePolicy(headers: Record<string, string>, label: string): string {
  const policy = headers["content-security-policy"] ?? "";
  const nonce = PAGE_SCRIPT_POLICY.exec(policy)?.[1];
  expect(nonce, `${label}: a nonce-based script-src in "${policy}"`).toBeTruthy();
  expect(policy, label).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
  for (const directive of ["object-src 'none'", "base-uri 'self'", "form-action 'self'"]) expect(policy, label).toContain(directive);
  return nonce!;
}

/** Collects what the browser refused: Chromium's console report and the page's own `securitypolicyviolation` events. */
async function watchPolicyViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|securitypolicyviolation/i.test(message.text())) violations.push(message.text());
  });
  page.on("pageerror", (error) => violations.push(`page error: ${error.message}`));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(
        `securitypolicyviolation: ${event.effectiveDirective} refused ${event.blockedURI || "inline code"} (${event.sourceFile}:${event.lineNumber})`,
      );
    });
  });
  return violations;
}

for (const scheme of SCHEMES) {
  test(`every page carries the security headers and runs without a policy violation in ${scheme} mode`, async ({ page, baseURL }) => {
    await page.emulateMedia({ colorScheme: scheme });
    const violations = await watchPolicyViolations(page);
    const withoutNosniff: string[] = [];
    page.on("response", (response) => {
      if (new URL(response.url()).origin === new URL(baseURL!).origin && response.headers()["x-content-type-options"] !== "nosniff") {
        withoutNosniff.push(response.url());
      }
    });
    for (const { name, path } of await listAppPages(page.request)) {
      await test.step(`${name} (${path})`, async () => {
        const response = await page.goto(path);
        expect(response, name).not.toBeNull();
        const headers = readHeaders(response!);
        expectCommonHeaders(headers, name);
        const nonce = expectPagePolicy(headers, name);
        await expect(page.locator("main")).toBeVisible();
        await page.waitForLoadState("networkidle");
        // Scripts the server wrote carry this response's nonce; chunks they load later need none ('strict-dynamic').
        const scriptTags = (await response!.text()).match(/<script\b[^>]*>/g) ?? [];
        expect(scriptTags.length, `${name}: server-rendered scripts`).toBeGreaterThan(0);
        expect(
          scriptTags.filter((tag) => !tag.includes(` nonce="${nonce}"`)),
          `${name}: scripts without this response's nonce`,
        ).toEqual([]);
        expect(violations, `${name}: policy violations`).toEqual([]);
      });
    }
    expect(withoutNosniff, "same-origin responses without nosniff").toEqual([]);
  });
}

test("pages stay interactive under the policy: hydration, the / shortcut, filters and charts", async ({ page, isMobile }) => {
  const violations = await watchPolicyViolations(page);

  await test.step("the / shortcut focuses the header search once the page has hydrated", async () => {
    await page.goto("/");
    const search = page.getByRole("search", { name: "Site" }).getByRole("searchbox");
    await expect(search).toBeVisible();
    if (isMobile) await search.tap();
    else {
      await page.getByRole("heading", { level: 1 }).click();
      await page.keyboard.press("/");
    }
    await expect(search).toBeFocused();
  });

  await test.step("a link in the header navigates on the client to /updates", async () => {
    const flight = page.waitForRequest((request) => new URL(request.url()).pathname === "/updates" && request.headers()["rsc"] === "1");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Updates" }).click();
    await flight;
    await expect(page.getByRole("heading", { level: 1, name: "Updates" })).toBeVisible();
  });

  await test.step("a filter on /updates refetches the list through /api/v1 and keeps it in the URL", async () => {
    const filters = page.getByRole("search", { name: "Filter updates" });
    const refetch = page.waitForResponse(
      (response) => response.url().includes("/api/v1/advisories?") && response.url().includes(`mirror=${MIRROR}`),
    );
    await filters.getByRole("combobox", { name: "Mirror" }).selectOption(MIRROR);
    expect((await refetch).status()).toBe(200);
    await expect(page).toHaveURL(new RegExp(`mirror=${MIRROR.replaceAll(".", "\\.")}`));
  });

  await test.step("the mirror page draws its charts", async () => {
    await page.goto(`/mirrors/${MIRROR}`);
    await expect(page.locator("svg.recharts-surface").first()).toBeVisible();
  });

  expect(violations).toEqual([]);
});

test("another site cannot frame the subscribe page", async ({ page, baseURL }) => {
  const answered = page.waitForResponse((response) => response.url().startsWith(`${baseURL}/subscribe`));
  const blocked = page.waitForEvent("framenavigated", (frame) => frame !== page.mainFrame() && frame.url().startsWith("chrome-error://"));
  // about:blank is another origin than srcwatch's, like any site that would embed it.
  await page.setContent(`<iframe title="embedded srcwatch" src="${baseURL}/subscribe?mirror=${MIRROR}&major=8"></iframe>`);
  expect((await answered).status(), "srcwatch answered the frame's request").toBe(200);
  const frame = await blocked;
  expect(await frame.locator("form").count(), "nothing of the page was shown in the frame").toBe(0);
});

test("data answers carry the headers and a policy that runs nothing; badges stay embeddable", async ({ request, page }) => {
  const pageResponse = await page.goto("/");
  const scriptSource = await page.locator("script[src^='/_next/static/']").first().getAttribute("src");
  expect(scriptSource, "a static script of the overview").toBeTruthy();
  expectPagePolicy(readHeaders(pageResponse!), "overview");

  const dataAnswers = [
    { path: "/api/v1/summary", status: 200, isCrossOrigin: true },
    { path: "/api/v1/search?q=%25", status: 200, isCrossOrigin: true },
    { path: "/api/v1/advisories?__proto__=x", status: 400, isCrossOrigin: true },
    { path: "/api/v1/advisories/%FF%FE", status: 400, isCrossOrigin: true },
    { path: "/api/v1/openapi.json", status: 200, isCrossOrigin: true },
    { path: `/badges/${MIRROR}/8.svg`, status: 200, isCrossOrigin: true },
    { path: `/badges/${MIRROR}/8.json`, status: 200, isCrossOrigin: true },
    { path: "/badges/%C0%AE/8.svg", status: 400, isCrossOrigin: false },
    { path: "/feeds/alerts.atom", status: 200, isCrossOrigin: true },
    { path: "/metrics", status: 200, isCrossOrigin: false },
    { path: scriptSource!, status: 200, isCrossOrigin: false },
    // public/: the icons, the manifest and the link-preview image.
    { path: "/favicon.ico", status: 200, isCrossOrigin: false },
    { path: "/icon.svg", status: 200, isCrossOrigin: false },
    { path: "/apple-touch-icon.png", status: 200, isCrossOrigin: false },
    { path: "/manifest.webmanifest", status: 200, isCrossOrigin: false },
    { path: "/og.png", status: 200, isCrossOrigin: false },
  ];
  for (const { path, status, isCrossOrigin } of dataAnswers) {
    await test.step(path, async () => {
      const response = await request.get(path);
      expect(response.status(), path).toBe(status);
      const headers = readHeaders(response);
      expectCommonHeaders(headers, path);
      expect(headers["content-security-policy"], path).toBe(DATA_POLICY);
      if (isCrossOrigin) expect(headers["access-control-allow-origin"], path).toBe("*");
      expect(headers["cross-origin-resource-policy"], path).toBeUndefined();
    });
  }

  const search = (await (await request.get("/api/v1/search?q=%25")).json()) as { packages: unknown[]; advisories: unknown[] };
  expect(search, "q=% matches only names holding a literal %").toMatchObject({ packages: [], advisories: [] });

  for (const path of ["/advisories/%FF", "/mirrors/%E0%A4%A"]) {
    await test.step(`malformed page path ${path}`, async () => {
      const response = await request.get(path);
      expect(response.status(), path).toBe(400);
      expect(readHeaders(response)["content-type"], path).toMatch(/^text\/plain/);
      expectCommonHeaders(readHeaders(response), path);
    });
  }

  await test.step("an unknown page answers 404 under the page policy", async () => {
    const response = await request.get("/no-such-page");
    expect(response.status()).toBe(404);
    expectCommonHeaders(readHeaders(response), "404 page");
    expectPagePolicy(readHeaders(response), "404 page");
  });
});
