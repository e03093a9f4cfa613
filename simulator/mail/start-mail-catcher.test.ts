import net from "node:net";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startMailCatcher, type MailCatcher } from "./start-mail-catcher";

function transportTo(catcher: MailCatcher, auth = false) {
  return nodemailer.createTransport({
    host: catcher.host,
    port: catcher.port,
    secure: false,
    ignoreTLS: true,
    connectionTimeout: 2_000,
    greetingTimeout: 2_000,
    socketTimeout: 2_000,
    ...(auth ? { auth: { user: "srcwatch", pass: "secret" } } : {}),
  });
}

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

describe("the mail catcher", () => {
  let catcher: MailCatcher;

  beforeAll(async () => {
    catcher = await startMailCatcher({ port: 0, maxMessageBytes: 64 * 1024 });
  });
  afterAll(async () => {
    await catcher.close();
  });
  beforeEach(() => catcher.clear());

  it("catches what nodemailer sends, with its headers and both bodies", async () => {
    await transportTo(catcher).sendMail({
      from: "srcwatch <alerts@srcwatch.test>",
      to: "Maintainer@Example.org",
      subject: "[srcwatch] FIRING: git.centos.org stopped publishing RHEL 8",
      text: "plain body",
      html: "<p>html body</p>",
      messageId: "<outbox-1.abc@srcwatch>",
      headers: {
        "List-Unsubscribe": "<https://srcwatch.test/api/v1/subscriptions/unsubscribe?token=t>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      },
    });
    const [mail] = catcher.messages();
    expect(mail.to).toEqual(["maintainer@example.org"]);
    expect(mail.from).toBe("alerts@srcwatch.test");
    expect(mail.subject).toBe("[srcwatch] FIRING: git.centos.org stopped publishing RHEL 8");
    expect(mail.text.trim()).toBe("plain body");
    expect(mail.html).toContain("<p>html body</p>");
    expect(mail.messageId).toBe("<outbox-1.abc@srcwatch>");
    expect(mail.headers["list-unsubscribe"]).toBe("<https://srcwatch.test/api/v1/subscriptions/unsubscribe?token=t>");
    expect(mail.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
    expect(mail.authenticatedUser).toBeNull();
  });

  it("accepts authenticated senders without TLS", async () => {
    await transportTo(catcher, true).sendMail({ from: "a@srcwatch.test", to: "b@example.org", subject: "auth", text: "x" });
    expect(catcher.messages().map((mail) => [mail.subject, mail.authenticatedUser])).toEqual([["auth", "srcwatch"]]);
  });

  it("waits for a mail that has not arrived yet", async () => {
    const waiting = catcher.waitFor((mail) => mail.subject === "later", 5_000);
    await transportTo(catcher).sendMail({ from: "a@srcwatch.test", to: "b@example.org", subject: "later", text: "x" });
    await expect(waiting).resolves.toMatchObject({ subject: "later" });
    await expect(catcher.waitFor((mail) => mail.subject === "never", 50)).rejects.toThrow(/no matching mail/);
  });

  it("refuses oversized messages", async () => {
    const send = transportTo(catcher).sendMail({
      from: "a@srcwatch.test",
      to: "b@example.org",
      subject: "big",
      text: "x".repeat(200 * 1024),
    });
    await expect(send).rejects.toThrow();
    expect(catcher.messages()).toEqual([]);
  });

  it("refuses connections while stopped and comes back on the same port", async () => {
    const port = catcher.port;
    await catcher.stop();
    expect(await connects(catcher.host, port)).toBe(false);
    await expect(
      transportTo(catcher).sendMail({ from: "a@srcwatch.test", to: "b@example.org", subject: "down", text: "x" }),
    ).rejects.toThrow();

    await catcher.start();
    expect(catcher.port).toBe(port);
    await transportTo(catcher).sendMail({ from: "a@srcwatch.test", to: "b@example.org", subject: "up", text: "x" });
    expect(catcher.messages().map((mail) => mail.subject)).toEqual(["up"]);
  });
});
