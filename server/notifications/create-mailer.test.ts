import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../config/load-config";
import { startMailCatcher, type MailCatcher } from "../../simulator/mail/start-mail-catcher";
import { createMailer } from "./create-mailer";

const PASSWORD_ENV = "SRCWATCH_TEST_SMTP_PASSWORD";

function notificationsWith(email: unknown) {
  return parseConfig({
    upstreams: [{ id: "feed", kind: "csaf", name: "Feed", baseUrl: "http://127.0.0.1:1/", startDate: "2023-01-01", majors: [8] }],
    mirrors: [],
    notifications: { email },
  }).notifications;
}

describe("createMailer", () => {
  let catcher: MailCatcher;

  beforeAll(async () => {
    process.env[PASSWORD_ENV] = "smtp-password";
    catcher = await startMailCatcher();
  });
  afterAll(async () => {
    delete process.env[PASSWORD_ENV];
    await catcher?.close();
  });

  it("is null when no email is configured", () => {
    expect(createMailer(notificationsWith(undefined))).toBeNull();
  });

  it("sends over SMTP with the configured sender, authenticating with the password from the environment", async () => {
    const mailer = createMailer(
      notificationsWith({
        smtp: {
          host: "127.0.0.1",
          port: catcher.port,
          user: "srcwatch-sender",
          passwordEnv: PASSWORD_ENV,
          rejectUnauthorized: false,
          connectionTimeoutMs: 2000,
        },
        from: "srcwatch <alerts@srcwatch.example.org>",
      }),
    )!;
    try {
      const info = await mailer.send({
        to: "a@example.org",
        subject: "hello",
        text: "text",
        html: "<p>html</p>",
        messageId: "<outbox-1.x@srcwatch>",
        headers: { "Auto-Submitted": "auto-generated" },
      });
      expect(info.messageId).toBe("<outbox-1.x@srcwatch>");
      const mail = await catcher.waitFor((candidate) => candidate.subject === "hello", 5000);
      expect(mail).toMatchObject({
        from: "alerts@srcwatch.example.org",
        to: ["a@example.org"],
        authenticatedUser: "srcwatch-sender",
        messageId: "<outbox-1.x@srcwatch>",
      });
      expect(mail.headers.from).toBe("srcwatch <alerts@srcwatch.example.org>");
      expect(mail.headers["auto-submitted"]).toBe("auto-generated");
    } finally {
      mailer.close();
    }
  });

  it("refuses to send when TLS is required but the server offers none", async () => {
    const mailer = createMailer(
      notificationsWith({
        smtp: { host: "127.0.0.1", port: catcher.port, requireTls: true, connectionTimeoutMs: 2000 },
        from: "alerts@srcwatch.example.org",
      }),
    )!;
    try {
      await expect(
        mailer.send({ to: "a@example.org", subject: "never", text: "x", html: "x", messageId: "<m@srcwatch>", headers: {} }),
      ).rejects.toThrow(/STARTTLS/i);
      expect(catcher.messages().some((mail) => mail.subject === "never")).toBe(false);
    } finally {
      mailer.close();
    }
  });
});
