/** A mail as a renderer produces it; the outbox adds recipient and Message-ID. */
import "server-only";

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}
