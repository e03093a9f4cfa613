import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export type CaughtMail = {
  /** Envelope recipients (RCPT TO), lower-cased. */
  to: string[];
  /** Envelope sender (MAIL FROM). */
  from: string;
  subject: string;
  text: string;
  html: string | null;
  /** Raw header values keyed by lower-case name (folded lines joined); repeated headers keep the first. */
  headers: Record<string, string>;
  messageId: string | null;
  /** The user the client authenticated as (AUTH PLAIN/LOGIN), if it did. */
  authenticatedUser: string | null;
  receivedAt: Date;
  raw: string;
};

export type MailCatcher = {
  port: number;
  host: string;
  messages(): CaughtMail[];
  waitFor(predicate: (mail: CaughtMail) => boolean, timeoutMs?: number): Promise<CaughtMail>;
  clear(): void;
  /** Takes the server down: new connections are refused until start(). */
  stop(): Promise<void>;
  /** Brings the server up again on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
};

export type MailCatcherOptions = {
  port?: number;
  host?: string;
  maxMessageBytes?: number;
};

const DEFAULT_MAX_MESSAGE_BYTES = 5 * 1024 * 1024;

function headerRecord(headerLines: ReadonlyArray<{ key: string; line: string }>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const { key, line } of headerLines) {
    const name = key.toLowerCase();
    if (name in headers) continue;
    const colon = line.indexOf(":");
    headers[name] = line
      .slice(colon + 1)
      .replace(/\r?\n[ \t]+/g, " ")
      .trim();
  }
  return headers;
}

export async function startMailCatcher(options: MailCatcherOptions = {}): Promise<MailCatcher> {
  const host = options.host ?? "127.0.0.1";
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const caught: CaughtMail[] = [];
  const waiters = new Set<{ predicate: (mail: CaughtMail) => boolean; resolve: (mail: CaughtMail) => void }>();
  let server: SMTPServer | null = null;
  let port = options.port ?? 0;

  function record(mail: CaughtMail): void {
    caught.push(mail);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(mail)) {
        waiters.delete(waiter);
        waiter.resolve(mail);
      }
    }
  }

  function createServer(): SMTPServer {
    return new SMTPServer({
      authOptional: true,
      allowInsecureAuth: true,
      disabledCommands: ["STARTTLS"],
      size: maxMessageBytes,
      logger: false,
      closeTimeout: 100,
      onAuth(auth, _session, callback) {
        callback(null, { user: auth.username ?? "anonymous" });
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          if (stream.sizeExceeded) {
            const error = Object.assign(new Error("message exceeds the size limit"), { responseCode: 552 });
            callback(error);
            return;
          }
          const raw = Buffer.concat(chunks);
          simpleParser(raw)
            .then((parsed) => {
              record({
                to: session.envelope.rcptTo.map((recipient) => recipient.address.toLowerCase()),
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
                subject: parsed.subject ?? "",
                text: parsed.text ?? "",
                html: parsed.html === false ? null : (parsed.html ?? null),
                headers: headerRecord(parsed.headerLines),
                messageId: parsed.messageId ?? null,
                authenticatedUser: typeof session.user === "string" ? session.user : null,
                receivedAt: new Date(),
                raw: raw.toString("utf8"),
              });
              callback();
            })
            .catch((error: Error) => callback(error));
        });
      },
    });
  }

  async function start(): Promise<void> {
    if (server) return;
    const next = createServer();
    await new Promise<void>((resolve, reject) => {
      next.server.once("error", reject);
      next.listen(port, host, () => {
        next.server.off("error", reject);
        resolve();
      });
    });
    const address = next.server.address();
    if (address && typeof address === "object") port = address.port;
    server = next;
  }

  async function stop(): Promise<void> {
    const current = server;
    if (!current) return;
    server = null;
    await new Promise<void>((resolve) => current.close(() => resolve()));
  }

  await start();

  return {
    get port() {
      return port;
    },
    host,
    messages: () => [...caught],
    waitFor(predicate, timeoutMs = 10_000) {
      const already = caught.find(predicate);
      if (already) return Promise.resolve(already);
      return new Promise<CaughtMail>((resolve, reject) => {
        const waiter = {
          predicate,
          resolve: (mail: CaughtMail) => {
            clearTimeout(timer);
            resolve(mail);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching mail arrived within ${timeoutMs} ms (${caught.length} caught)`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    clear() {
      caught.length = 0;
    },
    stop,
    start,
    close: stop,
  };
}
