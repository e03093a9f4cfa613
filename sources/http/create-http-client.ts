import { STATUS_CODES } from "node:http";
import { Agent, fetch, type Headers } from "undici";
import type { HttpStats } from "../../core/http-stats";
import { findEgressRefusal, type EgressPolicy } from "./find-egress-refusal";
import { lookupPublicAddress } from "./lookup-public-address";
import type { FetchError, GetOptions, HttpClient, HttpResult } from "./types";

export interface CreateHttpClientOptions {
  userAgent: string;
  timeoutMs: number;
  maxResponseBytes: number;
  retries: number;
  perHostMinIntervalMs: number;
  /** Maximum requests in flight per host. */
  concurrency: number;
  /** The only hosts requests and redirects may reach: `host`, `host:port` or `*.domain` (see listSourceHosts). */
  allowedHosts: readonly string[];
  /** Let hosts resolve to loopback, private or link-local addresses; otherwise every address must be public. */
  allowPrivateNetwork?: boolean;
  /** Once aborted, requests in flight end and new ones are refused, as `timeout`. */
  signal?: AbortSignal;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** A longer Retry-After is not waited for: the request gives up as rate_limited and the next poll tries again. */
export const RETRY_AFTER_CAP_MS = 5 * 60_000;
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 30_000;
const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

// Pooled connections are safe to share between clients: the address check happens when a socket connects.
const publicAddressAgent = new Agent({ connect: { lookup: lookupPublicAddress } });
const anyAddressAgent = new Agent();

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

type AttemptOutcome = Answer | { ok: false; error: FetchError; isRetryable: boolean; retryAfterMs: number | null };

type HopOutcome = AttemptOutcome | { ok: "redirect"; status: number; location: string | null };

export function createHttpClient(options: CreateHttpClientOptions): HttpClient {
  const now = options.now ?? Date.now;
  const sleep = createAbortableSleep(options.sleep, options.signal);
  const egress: EgressPolicy = { allowedHosts: options.allowedHosts, allowPrivateNetwork: options.allowPrivateNetwork ?? false };
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

  /** One request and one answer, a redirect not followed: the chain is walked by attempt, each hop checked. */
  async function attemptHop(url: URL, init: SendInit): Promise<HopOutcome> {
    const release = await findGate(url.host).acquire();
    if (options.signal?.aborted) {
      release();
      return aborted(url);
    }
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
        signal: options.signal ? AbortSignal.any([controller.signal, options.signal]) : controller.signal,
        redirect: "manual",
        dispatcher: egress.allowPrivateNetwork ? anyAddressAgent : publicAddressAgent,
      });
      const finalUrl = url.href;
      const status = response.status;
      if (REDIRECT_STATUSES.has(status)) {
        await response.body?.cancel().catch(() => undefined);
        return { ok: "redirect", status, location: response.headers.get("location") };
      }
      if (status === 304) {
        await response.body?.cancel().catch(() => undefined);
        return { ok: true, url: finalUrl, status, headers: response.headers, body: Buffer.alloc(0) };
      }
      if (status < 200 || status > 299) {
        await response.body?.cancel().catch(() => undefined);
        const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), now());
        // The standard reason phrase, not the server's: nothing the server sends is quoted in an error.
        return {
          ok: false,
          error: { kind: "http", status, message: `HTTP ${status} ${STATUS_CODES[status] ?? ""}`.trim(), url: url.href },
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
      if (options.signal?.aborted) return aborted(url);
      if (isForbiddenAddress(error)) return forbidden(url, `${url.hostname} resolves to a non-public address`);
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

  /** Follows redirects by hand, so every hop passes the egress policy before a byte is sent to it. */
  async function attempt(startUrl: URL, startInit: SendInit): Promise<AttemptOutcome> {
    let url = startUrl;
    let init = startInit;
    for (let hop = 0; ; hop++) {
      const refusal = findEgressRefusal(url, egress);
      if (refusal) return forbidden(url, hop === 0 ? refusal : `redirect refused: ${refusal}`);
      const outcome = await attemptHop(url, init);
      if (outcome.ok !== "redirect") return outcome;
      if (hop >= MAX_REDIRECTS) return failFinally(url, "network", `more than ${MAX_REDIRECTS} redirects`);
      if (outcome.location === null || !URL.canParse(outcome.location, url)) {
        return failFinally(url, "network", `HTTP ${outcome.status} redirect without a valid Location`);
      }
      url = new URL(outcome.location, url);
      if (outcome.status === 303 || (init.method === "POST" && (outcome.status === 301 || outcome.status === 302))) {
        const headers = Object.fromEntries(Object.entries(init.headers).filter(([name]) => name !== "content-type"));
        init = { ...init, method: "GET", headers, body: undefined };
      }
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
      if (options.signal?.aborted) return aborted(url);
      const outcome = await attempt(url, init);
      if (outcome.ok) return outcome;
      const isRateLimited = outcome.error.status === 429 || (outcome.error.status === 503 && outcome.retryAfterMs !== null);
      const rateLimitedError: FetchError = { ...outcome.error, kind: "rate_limited" };
      if (isRateLimited && outcome.retryAfterMs !== null && outcome.retryAfterMs > RETRY_AFTER_CAP_MS) {
        return {
          ok: false,
          error: {
            ...rateLimitedError,
            message: `${outcome.error.message}; Retry-After ${Math.round(outcome.retryAfterMs / 1000)} s is beyond the cap`,
          },
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

/** A wait (backoff, Retry-After, politeness gap) that ends early when the signal aborts, leaving no timer behind. */
function createAbortableSleep(injected: ((ms: number) => Promise<void>) | undefined, signal: AbortSignal | undefined) {
  return (ms: number) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finish = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", finish);
        resolve();
      };
      signal?.addEventListener("abort", finish, { once: true });
      if (injected) void injected(ms).then(finish);
      else timer = setTimeout(finish, ms);
    });
}

function aborted(url: URL): AttemptOutcome {
  return failFinally(url, "timeout", "the poll was aborted before this request completed");
}

function forbidden(url: URL, message: string): AttemptOutcome {
  return failFinally(url, "forbidden_destination", message);
}

function failFinally(url: URL, kind: FetchError["kind"], message: string): AttemptOutcome {
  return { ok: false, error: { kind, message, url: url.href }, isRetryable: false, retryAfterMs: null };
}

function isForbiddenAddress(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if ((cause as { code?: unknown }).code === "ERR_FORBIDDEN_DESTINATION") return true;
  }
  return false;
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
