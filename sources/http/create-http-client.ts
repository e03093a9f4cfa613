import type { FetchError, GetOptions, HttpClient, HttpResult, HttpStats } from "./types";

export interface CreateHttpClientOptions {
  userAgent: string;
  timeoutMs: number;
  maxResponseBytes: number;
  retries: number;
  perHostMinIntervalMs: number;
  /** Maximum requests in flight per host. */
  concurrency: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** A longer Retry-After is not waited for: the request gives up as rate_limited and the next poll tries again. */
export const RETRY_AFTER_CAP_MS = 5 * 60_000;
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 30_000;

interface SendInit {
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: Buffer;
  maxBytes: number;
}

interface Answer {
  ok: true;
  url: string;
  status: number;
  headers: Headers;
  body: Buffer;
}

type AttemptOutcome =
  | Answer
  | { ok: false; error: FetchError; isRetryable: boolean; retryAfterMs: number | null };

export function createHttpClient(options: CreateHttpClientOptions): HttpClient {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const stats: HttpStats = { requests: 0, notModified: 0, bytes: 0, retries: 0 };
  const gates = new Map<string, HostGate>();

  function findGate(host: string): HostGate {
    let gate = gates.get(host);
    if (!gate) {
      gate = createHostGate({ concurrency: options.concurrency, minIntervalMs: options.perHostMinIntervalMs, now, sleep });
      gates.set(host, gate);
    }
    return gate;
  }

  async function attempt(url: URL, init: SendInit): Promise<AttemptOutcome> {
    const release = await findGate(url.host).acquire();
    stats.requests++;
    const controller = new AbortController();
    let isTimedOut = false;
    const timer = setTimeout(() => {
      isTimedOut = true;
      controller.abort();
    }, options.timeoutMs);
    try {
      const response = await fetch(url, {
        method: init.method,
        headers: init.headers,
        body: init.body ? new Uint8Array(init.body) : undefined,
        signal: controller.signal,
        redirect: "follow",
      });
      const finalUrl = response.url || url.href;
      const status = response.status;
      if (status === 304) {
        await response.body?.cancel().catch(() => undefined);
        return { ok: true, url: finalUrl, status, headers: response.headers, body: Buffer.alloc(0) };
      }
      if (status < 200 || status > 299) {
        await response.body?.cancel().catch(() => undefined);
        const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), now());
        return {
          ok: false,
          error: { kind: "http", status, message: `HTTP ${status} ${response.statusText}`.trim(), url: url.href },
          isRetryable: status === 429 || status >= 500,
          retryAfterMs,
        };
      }
      const declaredBytes = Number(response.headers.get("content-length") ?? Number.NaN);
      if (declaredBytes > init.maxBytes) {
        controller.abort();
        return tooLarge(url, `Content-Length ${declaredBytes} exceeds the ${init.maxBytes} byte cap`);
      }
      const chunks: Uint8Array[] = [];
      let receivedBytes = 0;
      if (response.body) {
        const reader = response.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          receivedBytes += value.byteLength;
          stats.bytes += value.byteLength;
          if (receivedBytes > init.maxBytes) {
            controller.abort();
            await reader.cancel().catch(() => undefined);
            return tooLarge(url, `body exceeds the ${init.maxBytes} byte cap`);
          }
          chunks.push(value);
        }
      }
      return { ok: true, url: finalUrl, status, headers: response.headers, body: Buffer.concat(chunks) };
    } catch (error) {
      if (isTimedOut) {
        return {
          ok: false,
          error: { kind: "timeout", message: `no complete answer within ${options.timeoutMs} ms`, url: url.href },
          isRetryable: true,
          retryAfterMs: null,
        };
      }
      return {
        ok: false,
        error: { kind: "network", message: describeNetworkError(error), url: url.href },
        isRetryable: true,
        retryAfterMs: null,
      };
    } finally {
      clearTimeout(timer);
      release();
    }
  }

  async function send(rawUrl: string, init: SendInit): Promise<Answer | { ok: false; error: FetchError }> {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      return { ok: false, error: { kind: "network", message: "invalid URL", url: rawUrl } };
    }
    for (let attemptIndex = 0; ; attemptIndex++) {
      const outcome = await attempt(url, init);
      if (outcome.ok) return outcome;
      const isRateLimited =
        outcome.error.status === 429 || (outcome.error.status === 503 && outcome.retryAfterMs !== null);
      const rateLimitedError: FetchError = { ...outcome.error, kind: "rate_limited" };
      if (isRateLimited && outcome.retryAfterMs !== null && outcome.retryAfterMs > RETRY_AFTER_CAP_MS) {
        return {
          ok: false,
          error: { ...rateLimitedError, message: `${outcome.error.message}; Retry-After ${Math.round(outcome.retryAfterMs / 1000)} s is beyond the cap` },
        };
      }
      if (!outcome.isRetryable || attemptIndex >= options.retries) {
        return { ok: false, error: isRateLimited ? rateLimitedError : outcome.error };
      }
      stats.retries++;
      const backoffMs = random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attemptIndex);
      await sleep(outcome.retryAfterMs ?? backoffMs);
    }
  }

  function buildHeaders(extra: Record<string, string> | undefined): Record<string, string> {
    const headers: Record<string, string> = { "user-agent": options.userAgent, "accept-encoding": "gzip" };
    for (const [name, value] of Object.entries(extra ?? {})) headers[name.toLowerCase()] = value;
    return headers;
  }

  return {
    stats,

    async get(url: string, getOptions: GetOptions = {}): Promise<HttpResult> {
      const headers = buildHeaders(getOptions.headers);
      if (getOptions.accept) headers.accept = getOptions.accept;
      if (getOptions.etag) headers["if-none-match"] = getOptions.etag;
      if (getOptions.lastModified) headers["if-modified-since"] = getOptions.lastModified;
      const answer = await send(url, { method: "GET", headers, maxBytes: getOptions.maxBytes ?? options.maxResponseBytes });
      if (!answer.ok) return answer;
      const isNotModified = answer.status === 304;
      if (isNotModified) stats.notModified++;
      return {
        ok: true,
        url: answer.url,
        status: isNotModified ? 304 : 200,
        body: isNotModified ? null : answer.body,
        etag: answer.headers.get("etag"),
        lastModified: answer.headers.get("last-modified"),
        contentType: answer.headers.get("content-type"),
      };
    },

    async request(url, init) {
      const answer = await send(url, {
        method: init.method,
        headers: buildHeaders(init.headers),
        body: init.body,
        maxBytes: init.maxBytes ?? options.maxResponseBytes,
      });
      if (!answer.ok) return answer;
      if (answer.status === 304) stats.notModified++;
      return { ok: true, status: answer.status, headers: Object.fromEntries(answer.headers), body: answer.body };
    },
  };
}

interface HostGate {
  /** Resolves when the request may start; call the returned function when it is done. */
  acquire(): Promise<() => void>;
}

function createHostGate(input: {
  concurrency: number;
  minIntervalMs: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}): HostGate {
  let inFlight = 0;
  let nextStartAt = Number.NEGATIVE_INFINITY;
  const waiting: Array<() => void> = [];
  return {
    async acquire() {
      if (inFlight < input.concurrency) inFlight++;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      const startAt = Math.max(input.now(), nextStartAt);
      nextStartAt = startAt + input.minIntervalMs;
      const waitMs = startAt - input.now();
      if (waitMs > 0) await input.sleep(waitMs);
      let isReleased = false;
      return () => {
        if (isReleased) return;
        isReleased = true;
        const next = waiting.shift();
        if (next) next();
        else inFlight--;
      };
    },
  };
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const dateMs = Date.parse(trimmed);
  if (Number.isNaN(dateMs)) return null;
  return Math.max(0, dateMs - nowMs);
}

function tooLarge(url: URL, message: string): AttemptOutcome {
  return { ok: false, error: { kind: "too_large", message, url: url.href }, isRetryable: false, retryAfterMs: null };
}

function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause;
    if (cause instanceof Error) return `${error.message}: ${cause.message}`;
    return error.message;
  }
  return String(error);
}
