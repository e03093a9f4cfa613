/** One mail as the outbox hands it to the transport: bodies already rendered, headers already safe. */
import "server-only";

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per outbox row, so a resend after a crash carries the same Message-ID. */
  messageId: string;
  /** Extra headers (List-Unsubscribe, List-Unsubscribe-Post, List-Id, Auto-Submitted, …). */
  headers: Record<string, string>;
}

/** Sends mail (nodemailer over SMTP in production and tests). */
export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string; response: string }>;
  close(): void;
}
