import "server-only";

import nodemailer from "nodemailer";
import type { NotificationsConfig } from "../../core/config";
import { readSecretEnv } from "../env";
import type { Mailer } from "./mailer-types";

/** nodemailer over SMTP as the config describes it; null when the config has no `email` (mail then waits in the outbox). */
export function createMailer(notifications: NotificationsConfig): Mailer | null {
  const email = notifications.email;
  if (!email) return null;
  const { smtp } = email;
  const password = readSecretEnv(smtp.passwordEnv);
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: smtp.requireTls,
    auth: smtp.user ? { user: smtp.user, pass: password ?? "" } : undefined,
    tls: { rejectUnauthorized: smtp.rejectUnauthorized },
    connectionTimeout: smtp.connectionTimeoutMs,
    greetingTimeout: smtp.connectionTimeoutMs,
    socketTimeout: smtp.connectionTimeoutMs * 4,
  });
  return {
    async send(mail) {
      const info = await transport.sendMail({
        from: email.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        headers: mail.headers,
        disableFileAccess: true,
        disableUrlAccess: true,
      });
      return { messageId: info.messageId, response: info.response };
    },
    close() {
      transport.close();
    },
  };
}
