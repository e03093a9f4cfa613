import { z } from "zod";
import { parseQueryString, type QueryStringProblem } from "@/contract/query-string";
import { getClock } from "@/server/clock";
import { getConfig } from "@/server/config/get-config";
import { isSameOriginRequest } from "@/server/http/is-same-origin-request";
import { readClientIp } from "@/server/http/read-client-ip";
import { OperatorAuthorizationError } from "@/server/auth/authorize";
import { AppError } from "@/server/errors";
import { getLogger } from "@/server/logger";
import type { ApiErrorBody } from "@/contract/api-error";

/** Answers about the caller's own data (subscriptions): never cached, and no other origin may read them (no CORS). */
const ACTION_HEADERS = { "Cache-Control": "no-store" };

const FORM_MEDIA_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];

const DEFAULT_MAX_BODY_BYTES = 16 * 1024;

interface ActionBodyOptions {
  maxBodyBytes?: number;
  /** The one form body a request from any origin may send instead of same-origin JSON, field → value (RFC 8058 one-click). */
  crossSiteForm?: Readonly<Record<string, string>>;
  /** Any origin may act: for endpoints authorised by a header no browser attaches on its own (a bearer token). */
  isCrossSiteAllowed?: boolean;
}

export interface ActionOptions<Q extends z.ZodObject> extends ActionBodyOptions {
  query: Q;
  /** The JSON body's schema; without one, no body is read. */
  body?: z.ZodType;
  /** Status of the successful answer; 200 when absent. */
  status?: number;
}

function errorResponse(status: number, error: ApiErrorBody["error"], headers: Record<string, string> = {}): Response {
  return Response.json({ error } satisfies ApiErrorBody, { status, headers: { ...ACTION_HEADERS, ...headers } });
}

/** A typed error as the JSON answer of an action: 429 with its Retry-After, 401 with its WWW-Authenticate challenge. */
export function createActionErrorResponse(error: AppError): Response {
  const retryAfterSeconds = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  return errorResponse(
    error.httpStatus,
    { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) },
    {
      ...(typeof retryAfterSeconds === "number" ? { "Retry-After": String(retryAfterSeconds) } : {}),
      ...(error instanceof OperatorAuthorizationError && error.challenge ? { "WWW-Authenticate": error.challenge } : {}),
    },
  );
}

class RefusedRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The body's bytes, refusing to read more than `maxBytes` (a lying or absent Content-Length included). */
async function readBodyBytes(request: Request, maxBytes: number): Promise<Buffer> {
  const tooLarge = () => new RefusedRequestError(413, "payload_too_large", `The request body is larger than ${maxBytes} bytes.`);
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function readMediaType(request: Request): string {
  return (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
}

async function readFormEntries(request: Request, bytes: Buffer): Promise<[string, FormDataEntryValue][]> {
  if (readMediaType(request) !== "multipart/form-data") return [...new URLSearchParams(bytes.toString("utf8"))];
  const multipart = new Response(new Uint8Array(bytes), { headers: { "content-type": request.headers.get("content-type") ?? "" } });
  return [...(await multipart.formData())];
}

/** Is the form body exactly these fields, each once (URL-encoded or multipart, as RFC 8058 allows)? */
async function isExactForm(request: Request, bytes: Buffer, fields: Readonly<Record<string, string>>): Promise<boolean> {
  let entries: [string, FormDataEntryValue][];
  try {
    entries = await readFormEntries(request, bytes);
  } catch {
    return false;
  }
  const expected = Object.entries(fields);
  return (
    entries.length === expected.length &&
    expected.every(([name, value]) => entries.some(([sentName, sentValue]) => sentName === name && sentValue === value))
  );
}

function readPublicUrl(): string | undefined {
  try {
    return getConfig().notifications.publicUrl;
  } catch {
    return undefined;
  }
}

function refuseCrossSiteAction(request: Request, options: ActionBodyOptions): void {
  const isActing = request.method !== "GET" && request.method !== "HEAD";
  if (isActing && !options.isCrossSiteAllowed && !isSameOriginRequest(request, { publicUrl: readPublicUrl() })) {
    throw new RefusedRequestError(
      403,
      "cross_site_request",
      "This endpoint only takes requests from srcwatch's own pages: the request's Origin is another site or missing.",
    );
  }
}

/**
 * The body of an action. A request that acts (anything but GET/HEAD) must be JSON sent by our own pages
 * (Origin, else Sec-Fetch-Site): a page of another site cannot make a visitor's browser subscribe or unsubscribe.
 * The one exception is `crossSiteForm` exactly (RFC 8058 one-click: the mail provider posts it from anywhere).
 * An empty JSON body is `{}`.
 */
async function readBody(request: Request, options: ActionBodyOptions): Promise<unknown> {
  const maxBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const type = readMediaType(request);
  if (options.crossSiteForm && FORM_MEDIA_TYPES.includes(type)) {
    if (await isExactForm(request, await readBodyBytes(request, maxBytes), options.crossSiteForm)) return { ...options.crossSiteForm };
  }
  refuseCrossSiteAction(request, options);
  if (type !== "application/json" && !type.endsWith("+json")) {
    const oneClick = options.crossSiteForm ? `, or exactly ${new URLSearchParams(options.crossSiteForm).toString()} form-encoded` : "";
    throw new RefusedRequestError(415, "unsupported_media_type", `Send the body as application/json${oneClick}.`);
  }
  const text = new TextDecoder("utf-8", { fatal: false }).decode(await readBodyBytes(request, maxBytes));
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new RefusedRequestError(400, "bad_request", "The request body is not valid JSON.");
  }
}

function listBodyProblems(error: z.ZodError): QueryStringProblem[] {
  return error.issues.map((issue) => {
    if (issue.code === "unrecognized_keys") {
      const at = issue.path.length > 0 ? `${issue.path.join(".")}.` : "";
      return { parameter: issue.keys.map((key) => at + key).join(", "), message: "unknown field" };
    }
    return { parameter: issue.path.join(".") || "(body)", message: issue.message };
  });
}

/**
 * The adapter for endpoints that act for the caller (subscribe, confirm, manage, unsubscribe): query and body
 * parsed with strict schemas (400 with the problems), a body over the size limit → 413, a request from another
 * site → 403, a body that is not JSON → 415, typed errors → their status (429 with Retry-After), the answer never cached.
 */
export async function handleApiAction<Q extends z.ZodObject>(
  request: Request,
  options: ActionOptions<Q>,
  handler: (input: { query: z.infer<Q>; body: unknown; now: Date; clientIp: string }) => Promise<unknown>,
): Promise<Response> {
  const url = new URL(request.url);
  const parsedQuery = parseQueryString(options.query, url.searchParams);
  if (!parsedQuery.success) return errorResponse(400, { code: "bad_request", message: parsedQuery.message, details: parsedQuery.problems });

  let body: unknown = undefined;
  let raw: unknown;
  try {
    if (options.body) raw = await readBody(request, options);
    else refuseCrossSiteAction(request, options);
  } catch (error) {
    if (error instanceof RefusedRequestError) return errorResponse(error.status, { code: error.code, message: error.message });
    throw error;
  }
  if (options.body) {
    const parsedBody = options.body.safeParse(raw);
    if (!parsedBody.success) {
      const problems = listBodyProblems(parsedBody.error);
      const message = `Invalid request: ${problems.map((problem) => `"${problem.parameter}": ${problem.message}`).join("; ")}`;
      return errorResponse(400, { code: "bad_request", message, details: problems });
    }
    body = parsedBody.data;
  }

  try {
    const result = await handler({ query: parsedQuery.data, body, now: getClock().now(), clientIp: readClientIp(request) });
    return Response.json(result, { status: options.status ?? 200, headers: ACTION_HEADERS });
  } catch (error) {
    if (error instanceof AppError) {
      if (error.httpStatus >= 500) getLogger().error({ err: error, path: url.pathname }, "api action failed");
      return createActionErrorResponse(error);
    }
    getLogger().error({ err: error, path: url.pathname }, "api action failed");
    return errorResponse(500, { code: "internal", message: "Internal error" });
  }
}

/** The preflight of an endpoint that acts: it lists the methods and grants no other origin anything. */
export function handleActionOptions(methods: readonly string[]): Response {
  return new Response(null, { status: 204, headers: { ...ACTION_HEADERS, Allow: [...methods, "OPTIONS"].join(", ") } });
}
