import { STATUS_CODES } from "node:http";
import type { Readable, Transform } from "node:stream";
import zlib from "node:zlib";
import { Agent, request, type Dispatcher } from "undici";
import type { HttpStats } from "../../core/http-stats";
import { findEgressRefusal, type EgressPolicy } from "./find-egress-refusal";
import { lookupPublicAddress } from "./lookup-public-address";
import type { BodyReader, FetchError, GetOptions, HttpClient, HttpResult } from "./types";

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
const MAX_CONTENT_CODINGS = 2;
const DUMP_LIMIT_BYTES = 64 * 1024;

function ignoreError(): void {}

// Pooled connections are safe to share between clients: the address check happens when a socket connects.
const publicAddressAgent = new Agent({ connect: { lookup: lookupPublicAddress } });
const anyAddressAgent = new Agent();

interface SendInit {
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: Buffer;
  maxBytes: number;
  /** Instead of collecting the body: hand it to this reader as it arrives; its result is the answer's value. */
  read?: BodyReader<unknown>;
  timeoutMs?: number;
}

/** Response headers by lower-case name; a repeated header's values joined with ", " (RFC 9110 §5.3). */
type HeaderRecord = Record<string, string>;

interface Answer {
  ok: true;
  url: string;
  status: number;
  headers: HeaderRecord;
  body: Buffer;
  /** What SendInit.read returned. */
  value?: unknown;
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
    const timeoutMs = init.timeoutMs ?? options.timeoutMs;
    const timer = setTimeout(() => {
      isTimedOut = true;
      controller.abort();
    }, timeoutMs);
    let body: Dispatcher.ResponseData["body"] | null = null;
    try {
      const response = await request(url, {
        method: init.method,
        headers: init.headers,
        body: init.body,
        signal: options.signal ? AbortSignal.any([controller.signal, options.signal]) : controller.signal,
        dispatcher: egress.allowPrivateNetwork ? anyAddressAgent : publicAddressAgent,
      });
      body = response.body;
      // Destroying an answer we stop reading makes it emit an AbortError; what failed is reported from the read itself.
      body.on("error", ignoreError);
      const finalUrl = url.href;
      const status = response.statusCode;
      const headers = toHeaderRecord(response.headers);
      if (REDIRECT_STATUSES.has(status)) return { ok: "redirect", status, location: headers.location ?? null };
      if (status === 304) return { ok: true, url: finalUrl, status, headers, body: Buffer.alloc(0) };
      if (status < 200 || status > 299) {
        const retryAfterMs = parseRetryAfter(headers["retry-after"] ?? null, now());
        // The standard reason phrase, not the server's: nothing the server sends is quoted in an error.
        return {
          ok: false,
          error: { kind: "http", status, message: `HTTP ${status} ${STATUS_CODES[status] ?? ""}`.trim(), url: url.href },
          isRetryable: status === 429 || status >= 500,
          retryAfterMs,
        };
      }
      const declaredBytes = Number(headers["content-length"] ?? Number.NaN);
      if (declaredBytes > init.maxBytes) return tooLarge(url, `Content-Length ${declaredBytes} exceeds the ${init.maxBytes} byte cap`);
      // The cap counts the bytes as decoded: a small gzip body cannot inflate past it.
      const decoders = createDecoders(headers["content-encoding"]);
      const decoded = decoders.reduce<Readable>((stream, decoder) => pipeDecoder(stream, decoder), response.body);
      if (init.read) return await readAsItArrives(url, status, headers, decoded, decoders, init.read, init.maxBytes);
      const chunks: Buffer[] = [];
      let receivedBytes = 0;
      try {
        for await (const chunk of decoded as AsyncIterable<Buffer>) {
          receivedBytes += chunk.byteLength;
          stats.bytes += chunk.byteLength;
          if (receivedBytes > init.maxBytes) return tooLarge(url, `body exceeds the ${init.maxBytes} byte cap`);
          chunks.push(chunk);
        }
      } finally {
        for (const decoder of decoders) decoder.destroy();
      }
      return { ok: true, url: finalUrl, status, headers, body: Buffer.concat(chunks) };
    } catch (error) {
      if (options.signal?.aborted) return aborted(url);
      if (isForbiddenAddress(error)) return forbidden(url, `${url.hostname} resolves to a non-public address`);
      if (isTimedOut) {
        return {
          ok: false,
          error: { kind: "timeout", message: `no complete answer within ${timeoutMs} ms`, url: url.href },
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
      // An answer not read to its end (a redirect, a 304, an error, a cap): a short rest is read so that the connection can
      // serve the next request, a long one closes it (undici's dump).
      if (body && !body.readableEnded && !body.destroyed) await body.dump({ limit: DUMP_LIMIT_BYTES }).catch(ignoreError);
      release();
    }
  }

  /**
   * The body through `read`, counted against the cap. A failure of the download itself is thrown on (the caller maps it
   * to timeout or network); the cap ends it as too_large; anything else `read` throws as parse.
   */
  async function readAsItArrives(
    url: URL,
    status: number,
    headers: HeaderRecord,
    decoded: Readable,
    decoders: Transform[],
    read: BodyReader<unknown>,
    maxBytes: number,
  ): Promise<AttemptOutcome> {
    let receivedBytes = 0;
    let isOverCap = false;
    let sourceError: unknown = null;
    async function* counted(): AsyncGenerator<Buffer> {
      try {
        for await (const chunk of decoded as AsyncIterable<Buffer>) {
          receivedBytes += chunk.byteLength;
          stats.bytes += chunk.byteLength;
          if (receivedBytes > maxBytes) {
            isOverCap = true;
            throw new Error("over the cap");
          }
          yield chunk;
        }
      } catch (error) {
        if (!isOverCap) sourceError = error;
        throw error;
      }
    }
    try {
      const value = await read(counted());
      return { ok: true, url: url.href, status, headers, body: Buffer.alloc(0), value };
    } catch (error) {
      if (isOverCap) return tooLarge(url, `body exceeds the ${maxBytes} byte cap`);
      if (sourceError !== null) throw sourceError;
      return failFinally(url, "parse", `cannot read the answer: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      for (const decoder of decoders) decoder.destroy();
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
        etag: answer.headers.etag ?? null,
        lastModified: answer.headers["last-modified"] ?? null,
        contentType: answer.headers["content-type"] ?? null,
      };
    },

    async stream(url, streamOptions, read) {
      const headers = buildHeaders(streamOptions.headers);
      if (streamOptions.accept) headers.accept = streamOptions.accept;
      const answer = await send(url, {
        method: "GET",
        headers,
        maxBytes: streamOptions.maxBytes ?? options.maxResponseBytes,
        read: read as BodyReader<unknown>,
        timeoutMs: streamOptions.timeoutMs,
      });
      if (!answer.ok) return answer;
      // No validators were sent, so a 304 can only be a broken server: nothing was read.
      if (answer.status === 304) {
        return { ok: false, error: { kind: "http", status: 304, message: "HTTP 304 Not Modified to an unconditional request", url } };
      }
      return {
        ok: true,
        url: answer.url,
        value: answer.value as Awaited<ReturnType<typeof read>>,
        etag: answer.headers.etag ?? null,
        lastModified: answer.headers["last-modified"] ?? null,
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
      return { ok: true, status: answer.status, headers: answer.headers, body: answer.body };
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

function toHeaderRecord(raw: Record<string, string | string[] | undefined>): HeaderRecord {
  const headers: HeaderRecord = Object.create(null) as HeaderRecord;
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

/**
 * The decoders that give the body as the server meant it, in the order to apply them: gzip (what we ask for), deflate or
 * br undone as the body streams, like fetch does; an unknown coding leaves the body as it came from there on. undici's
 * `request` leaves the coding to us, and costs a third of `fetch`'s CPU per answer (bench/backfill: 10,002 documents).
 */
function createDecoders(contentEncoding: string | undefined): Transform[] {
  const codings = (contentEncoding ?? "")
    .split(",")
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding && coding !== "identity");
  // A chain of codings is a server's choice we never asked for; a long one only costs us (undici's fetch caps it too).
  if (codings.length > MAX_CONTENT_CODINGS) throw new Error(`${codings.length} content codings, more than ${MAX_CONTENT_CODINGS}`);
  const decoders: Transform[] = [];
  // Codings are listed in the order they were applied: undo the last first.
  for (const coding of codings.reverse()) {
    const decoder =
      coding === "gzip" || coding === "x-gzip"
        ? zlib.createGunzip({ finishFlush: zlib.constants.Z_SYNC_FLUSH })
        : coding === "deflate"
          ? zlib.createInflate({ finishFlush: zlib.constants.Z_SYNC_FLUSH })
          : coding === "br"
            ? zlib.createBrotliDecompress({ finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH })
            : null;
    if (!decoder) break;
    decoders.push(decoder);
  }
  return decoders;
}

/**
 * `source` through `decoder`. pipe() does not forward errors: a broken connection or a bad inner layer fails the decoder
 * too. The reader sees every error through its iterator; the listener only keeps an error that comes after it stopped
 * reading from being uncaught.
 */
function pipeDecoder(source: Readable, decoder: Transform): Readable {
  source.once("error", (error) => decoder.destroy(error));
  decoder.on("error", ignoreError);
  return source.pipe(decoder);
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
