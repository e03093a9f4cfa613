import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type APIRequestContext, type Locator } from "@playwright/test";
import { MAILBOX_URL } from "./global-setup";

/** A mail as the demo's mail catcher lists it at /_sim/mail. */
export interface CaughtMail {
  to: string[];
  subject: string;
  text: string;
  html: string | null;
  headers: Record<string, string>;
}

export interface Mailbox {
  /** Every mail caught for that address so far. */
  list(to: string): Promise<CaughtMail[]>;
  /** The first mail for that address whose subject matches, waiting up to 60 s for it. */
  waitFor(to: string, subject: RegExp): Promise<CaughtMail>;
}

export interface Accessibility {
  /** The page's serious and critical WCAG 2.1 A/AA violations, one line each (rule, help, first elements). */
  listSeriousViolations(): Promise<string[]>;
}

interface JourneyFixtures {
  /** Saves a screenshot in the test's output and attaches it to the report: the whole page, or just `target`. */
  saveScreenshot: (name: string, target?: Locator) => Promise<void>;
  mailbox: Mailbox;
  accessibility: Accessibility;
}

export const test = base.extend<JourneyFixtures>({
  saveScreenshot: async ({ page }, use, testInfo) => {
    await use(async (name, target) => {
      const path = testInfo.outputPath(`${name}.png`);
      await (target ? target.screenshot({ path }) : page.screenshot({ path, fullPage: true }));
      await testInfo.attach(name, { path, contentType: "image/png" });
    });
  },
  mailbox: async ({ request }, use) => {
    await use(createMailbox(request));
  },
  accessibility: async ({ page }, use) => {
    await use({
      async listSeriousViolations() {
        const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
        return results.violations
          .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
          .map(
            (violation) =>
              `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes
                .map((node) => node.target.join(" "))
                .slice(0, 3)
                .join("; ")}`,
          );
      },
    });
  },
});

export { expect };

function createMailbox(request: APIRequestContext): Mailbox {
  const list = async (to: string): Promise<CaughtMail[]> => {
    const response = await request.get(`${MAILBOX_URL}?to=${encodeURIComponent(to)}`);
    return ((await response.json()) as { messages: CaughtMail[] }).messages;
  };
  return {
    list,
    async waitFor(to, subject) {
      let seen: string[] = [];
      await expect
        .poll(
          async () => {
            const messages = await list(to);
            seen = messages.map((mail) => mail.subject);
            return messages.some((mail) => subject.test(mail.subject));
          },
          { timeout: 60_000, message: `a mail to ${to} with subject ${subject}` },
        )
        .toBe(true);
      const mail = (await list(to)).find((candidate) => subject.test(candidate.subject));
      if (!mail) throw new Error(`no mail matching ${subject}; saw: ${seen.join(" | ")}`);
      return mail;
    },
  };
}
