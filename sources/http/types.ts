import type { HttpStats } from "../../core/http-stats";
import type { FetchErrorKind } from "../../core/types";

export interface FetchError {
  kind: FetchErrorKind;
  message: string;
  url: string;
  /** HTTP status when the server answered. */
  status?: number;
}

export type HttpResult =
  | {
      ok: true;
      url: string;
      /** 200 with a body, or 304 (not modified) with body null. */
      status: 200 | 304;
      body: Buffer | null;
      etag: string | null;
      lastModified: string | null;
      contentType: string | null;
    }
  | { ok: false; error: FetchError };

export interface ConditionalHeaders {
  etag?: string | null;
  lastModified?: string | null;
}

export interface GetOptions extends ConditionalHeaders {
  accept?: string;
  /** Overrides the client's default size cap for this request. */
  maxBytes?: number;
  headers?: Record<string, string>;
}

export interface StreamOptions extends GetOptions {
  /** Overrides the client's timeout for this request: the whole answer must have arrived within it. */
  timeoutMs?: number;
}

export type StreamResult<T> =
  { ok: true; url: string; value: T; etag: string | null; lastModified: string | null } | { ok: false; error: FetchError };

/**
 * Reads an answer's body as it arrives (the size cap counted on the way). Called once per attempt, a retry starting
 * over with a fresh call, so it must keep nothing between calls. Errors of the download reach it through the iterator;
 * it should let them pass. What it returns is the answer's value; what it throws otherwise ends the request as `parse`.
 */
export type BodyReader<T> = (body: AsyncIterable<Buffer>) => Promise<T>;

/**
 * The only way sources talk to the network: an egress policy on every hop (scheme, host, public address),
 * timeouts, retries with backoff and jitter, per-host politeness, size caps, gzip, conditional GET.
 * Never throws for network/HTTP trouble.
 */
export interface HttpClient {
  get(url: string, options?: GetOptions): Promise<HttpResult>;
  /** Raw request for protocols that need POST (git smart HTTP v2). Same guarantees as get. */
  request(
    url: string,
    init: { method: "GET" | "POST"; headers?: Record<string, string>; body?: Buffer; maxBytes?: number },
  ): Promise<{ ok: true; status: number; headers: Record<string, string>; body: Buffer } | { ok: false; error: FetchError }>;
  /** A GET whose body is read as it arrives instead of being held whole (archives): 200 only, no conditional headers. */
  stream<T>(url: string, options: StreamOptions, read: BodyReader<T>): Promise<StreamResult<T>>;
  readonly stats: HttpStats;
}
