import { expect, test, type CaughtMail } from "./fixtures";
import { MAILBOX_URL } from "./global-setup";

const STOP_ALERT = /git\.centos\.org stopped publishing RHEL 8/;

/** The link in a mail, moved onto the base URL the tests run against (the demo's publicUrl is localhost). */
function linkIn(mail: CaughtMail, path: string, baseURL: string): string {
  const match = new RegExp(`https?://[^/\\s"<>]+${path.replaceAll("/", "\\/").replaceAll("?", "\\?")}[^\\s"<>]*`).exec(mail.text);
  if (!match) throw new Error(`no ${path} link in the mail "${mail.subject}":\n${mail.text}`);
  const url = new URL(match[0]);
  return new URL(`${url.pathname}${url.search}`, baseURL).toString();
}

test("a maintainer subscribes to git.centos.org RHEL 8 alerts, confirms from the mail, gets the alert and unsubscribes in one click", async ({
  page,
  request,
  baseURL,
  saveScreenshot,
  mailbox,
}, testInfo) => {
  test.setTimeout(240_000);
  const address = `maintainer-${testInfo.project.name}-${Date.now()}@example.org`;

  await test.step("sees the stop alert firing on the alerts page", async () => {
    await page.goto("/alerts?status=firing&mirror=git.centos.org&major=8");
    await expect(page.getByRole("heading", { level: 1, name: "Alerts" })).toBeVisible();
    const row = page.getByRole("row", { name: STOP_ALERT });
    await expect(row).toHaveCount(1, { timeout: 120_000 });
    await expect(row.getByRole("link", { name: "Mirror stopped publishing" })).toBeVisible();
    // The per-update alerts it explains are listed, but folded into it.
    for (const other of await page.getByRole("row", { name: /updates? (missing|delayed)/ }).all())
      await expect(other).toContainText("folded into");
    await saveScreenshot("01-alerts-firing");
  });

  await test.step("follows 'Get these by email' to a form preset for git.centos.org and RHEL 8", async () => {
    await page.getByRole("link", { name: "Get these by email" }).click();
    await expect(page).toHaveURL(/\/subscribe\?/);
    const mirrors = page.getByRole("group", { name: "Mirrors" });
    await expect(mirrors.getByRole("checkbox", { name: "git.centos.org", exact: true })).toBeChecked();
    await expect(page.getByRole("group", { name: "RHEL majors" }).getByRole("checkbox", { name: "RHEL 8" })).toBeChecked();
    await expect(page.getByRole("group", { name: "RHEL majors" }).getByRole("checkbox", { name: "RHEL 9" })).not.toBeChecked();
  });

  await test.step("subscribes and is told to check the inbox — the same answer for any address", async () => {
    await page.getByLabel("Email address").fill(address);
    await page.getByRole("button", { name: "Subscribe" }).click();
    await expect(page.getByText("Check your inbox")).toBeVisible();
    await saveScreenshot("02-check-your-inbox");
  });

  const confirmation = await test.step("receives only the confirmation mail", async () => {
    const mail = await mailbox.waitFor(address, /confirm/i);
    expect(await mailbox.list(address)).toHaveLength(1);
    expect(mail.headers["list-unsubscribe"], "no List-Unsubscribe before there is a subscription").toBeUndefined();
    return mail;
  });

  await test.step("opens the mail in the demo mailbox, clicks its link and confirms with one button", async () => {
    await page.goto(`${MAILBOX_URL}.html?to=${encodeURIComponent(address)}`);
    const mail = page.getByRole("article").filter({ hasText: confirmation.subject });
    await expect(mail).toHaveCount(1);
    await expect(mail).toContainText("valid for 7 days");
    await saveScreenshot("03-demo-mailbox");
    await mail.getByRole("link", { name: /\/subscribe\/confirm\?token=/ }).click();
    // The demo's clock runs days a minute; a link valid for 7 days is, in real time, still valid.
    await expect(page).toHaveURL(/\/subscribe\/confirm\?token=/);
    await page.getByRole("button", { name: "Confirm your subscription" }).click();
    await expect(page.getByRole("heading", { name: "Your subscription is confirmed" })).toBeVisible();
    await saveScreenshot("04-confirmed");
  });

  const alertMail =
    await test.step("gets the alert that is already firing, with its evidence and one-click unsubscribe headers", async () => {
      const mail = await mailbox.waitFor(address, STOP_ALERT);
      // Firing for days already: a newcomer still hears of it as FIRING, not as a reminder.
      expect(mail.subject).toMatch(/^\[srcwatch\] FIRING: /);
      expect(mail.text).toMatch(/RH[SBE]A-2023:\d{4}/);
      expect(mail.text).toContain("/alerts/");
      // Short enough to read on a phone, and it says where the same updates already are.
      expect(Buffer.byteLength(mail.text, "utf8")).toBeLessThan(4096);
      expect(mail.text).toMatch(/^Already published on .*(AlmaLinux|Oracle|Rocky)/m);
      expect(mail.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
      expect(mail.headers["list-unsubscribe"]).toMatch(/^<https?:\/\/[^>]+\/api\/v1\/subscriptions\/unsubscribe\?token=[^>]+>/);
      // Folded into the stop alert: no per-update mail about git.centos.org RHEL 8 while it fires.
      const perUpdate = (await mailbox.list(address)).filter(
        (candidate) => /Updates (missing|delayed)/i.test(candidate.subject) && /RHEL 8/.test(candidate.subject),
      );
      expect(perUpdate.map((candidate) => candidate.subject)).toEqual([]);
      return mail;
    });

  await test.step("opens the alert from the mail and sees its evidence and timeline", async () => {
    await page.goto(linkIn(alertMail, "/alerts/", baseURL!));
    await expect(page.getByRole("heading", { level: 1, name: "Mirror stopped publishing" })).toBeVisible();
    await expect(page.getByText(STOP_ALERT).first()).toBeVisible();
    await expect(page.getByRole("heading", { name: "Timeline" })).toBeVisible();
    await saveScreenshot("05-alert-page");
  });

  await test.step("unsubscribes with one click from the mail's link", async () => {
    await page.goto(linkIn(alertMail, "/unsubscribe?token=", baseURL!));
    await page.getByRole("button", { name: "Unsubscribe" }).click();
    await expect(page.getByRole("heading", { name: "You are unsubscribed" })).toBeVisible();
    await saveScreenshot("06-unsubscribed");
  });

  await test.step("the mail client's RFC 8058 one-click POST also answers success, and no further mail comes", async () => {
    const oneClick = /^<([^>]+)>/.exec(alertMail.headers["list-unsubscribe"])![1];
    const url = new URL(oneClick);
    const response = await request.post(new URL(`${url.pathname}${url.search}`, baseURL!).toString(), {
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      data: "List-Unsubscribe=One-Click",
    });
    expect(response.status()).toBe(200);
    // A mail the worker was already handing to the SMTP server when the button was clicked may still land.
    await page.waitForTimeout(2000);
    const count = (await mailbox.list(address)).length;
    // 10 s ≈ 30 scenario hours at the demo's speed: longer than the repeat interval (24 h) of the firing alert
    // and its group interval (1 h) — a subscriber would have had a reminder or an update by then.
    await page.waitForTimeout(10_000);
    expect(await mailbox.list(address)).toHaveLength(count);
  });
});
