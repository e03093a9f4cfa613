import { createHash } from "node:crypto";
import type { z } from "zod";
import { parseQueryString } from "@/contract/query-string";
import { getClock } from "@/server/clock";
import { AppError, BadRequestError } from "@/server/errors";
import { getLogger } from "@/server/logger";
import type { ApiErrorBody } from "@/contract/api-error";
import { FileAnswer } from "./file-answer";

const CORS_HEADERS = { "Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "ETag" };
const ALLOWED_METHODS = "GET, HEAD, OPTIONS";

function errorResponse(status: number, error: ApiErrorBody["error"], headers: Record<string, string> = {}): Response {
  return Response.json({ error } satisfies ApiErrorBody, { status, headers: { "Cache-Control": "no-store", ...CORS_HEADERS, ...headers } });
}

/** A typed error as its JSON answer. */
function createAppErrorResponse(error: AppError): Response {
  return errorResponse(error.httpStatus, {
    code: error.code,
    message: error.message,
    ...(error.details === undefined ? {} : { details: error.details }),
  });
}

/** A strong validator: the body's SHA-256. */
export function createEtag(body: string): string {
  return `"${createHash("sha256").update(body).digest("base64url")}"`;
}

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2): `W/"x"` matches `"x"`. */
export function isEtagMatch(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === "*") return true;
  const opaque = etag.replace(/^W\//, "");
  return ifNoneMatch.split(",").some((candidate) => candidate.trim().replace(/^W\//, "") === opaque);
}

/**
 * Every answer carries the server's `now`, which would make each body unique: the validator ignores it
 * below the minute, so unchanged data revalidates with 304 and a cached `now` is at most a minute old.
 * The body may then differ in those seconds, hence a weak ETag.
 */
function createDataEtag(result: unknown, body: string): string {
  const hasNow = typeof result === "object" && result !== null && typeof (result as { now?: unknown }).now === "string";
  if (!hasNow) return createEtag(body);
  const now = (result as { now: string }).now;
  return `W/${createEtag(JSON.stringify({ ...(result as object), now: now.slice(0, 16) }))}`;
}

/**
 * The one adapter between HTTP and the read functions: parse the query string with the endpoint's schema,
 * run the handler with the (scenario) clock's now, map typed errors to their status once. Answers carry an
 * ETag (304 when If-None-Match still matches) and may be read from any origin.
 */
export async function handleApiRequest<S extends z.ZodObject>(
  request: Request,
  querySchema: S,
  handler: (input: { query: z.infer<S>; now: Date }) => Promise<unknown>,
  options: { maxAgeSeconds?: number } = {},
): Promise<Response> {
  const url = new URL(request.url);
  const parsed = parseQueryString(querySchema, url.searchParams);
  if (!parsed.success) {
    return errorResponse(400, { code: "bad_request", message: parsed.message, details: parsed.problems });
  }
  let body: string;
  let result: unknown;
  try {
    result = await handler({ query: parsed.data, now: getClock().now() });
    if (result instanceof FileAnswer) return createFileResponse(request, result);
    body = JSON.stringify(result);
  } catch (error) {
    if (error instanceof AppError) {
      if (error.httpStatus >= 500) getLogger().error({ err: error, path: url.pathname }, "api request failed");
      return createAppErrorResponse(error);
    }
    getLogger().error({ err: error, path: url.pathname, query: url.search }, "api request failed");
    return errorResponse(500, { code: "internal", message: "Internal error" });
  }
  const etag = createDataEtag(result, body);
  const headers = {
    ...CORS_HEADERS,
    "Cache-Control": options.maxAgeSeconds === undefined ? "no-cache" : `public, max-age=${options.maxAgeSeconds}`,
    ETag: etag,
  };
  if (isEtagMatch(request.headers.get("If-None-Match"), etag)) return new Response(null, { status: 304, headers });
  return new Response(body, { headers: { ...headers, "Content-Type": "application/json" } });
}

/** A download with a strong ETag of its bytes; other origins may read it and its extra headers. */
function createFileResponse(request: Request, answer: FileAnswer): Response {
  const { body } = answer;
  const etag = typeof body === "string" ? createEtag(body) : body.etag;
  const extraHeaders = answer.file.headers ?? {};
  const headers = {
    ...CORS_HEADERS,
    "Access-Control-Expose-Headers": ["ETag", "Content-Disposition", ...Object.keys(extraHeaders)].join(", "),
    "Cache-Control": "no-cache",
    ETag: etag,
    ...extraHeaders,
  };
  if (isEtagMatch(request.headers.get("If-None-Match"), etag)) return new Response(null, { status: 304, headers });
  return new Response(typeof body === "string" ? body : body.open(), {
    headers: {
      ...headers,
      "Content-Type": answer.file.contentType,
      "Content-Disposition": `attachment; filename="${answer.file.fileName}"`,
    },
  });
}

/** The CORS preflight of every /api/v1 route: read-only GETs from any origin. */
export function handleApiOptions(): Response {
  return new Response(null, {
    status: 204,
    headers: {
      ...CORS_HEADERS,
      Allow: ALLOWED_METHODS,
      "Access-Control-Allow-Methods": ALLOWED_METHODS,
      "Access-Control-Allow-Headers": "If-None-Match",
      "Access-Control-Max-Age": "86400",
    },
  });
}

/** Path segments arrive percent-encoded or not depending on the client; advisory ids contain ":". Malformed escapes are a 400. */
export function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new BadRequestError(`Malformed percent-escape in the path segment "${segment.slice(0, 100)}"`);
  }
}
