import { z } from "zod";
import { parseQueryString, type QueryStringProblem } from "@/components/query-string";
import { getClock } from "@/server/clock";
import { AppError } from "@/server/errors";
import { getLogger } from "@/server/logger";
import type { ApiErrorBody } from "@/server/read/dto";

/** Answers about the caller's own data (subscriptions): never cached, readable from any origin. */
const ACTION_HEADERS = { "Cache-Control": "no-store", "Access-Control-Allow-Origin": "*" };

const DEFAULT_MAX_BODY_BYTES = 16 * 1024;

function errorResponse(status: number, error: ApiErrorBody["error"], headers: Record<string, string> = {}): Response {
  return Response.json({ error } satisfies ApiErrorBody, { status, headers: { ...ACTION_HEADERS, ...headers } });
}

class RequestBodyError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The body as text, refusing to read more than `maxBytes` (a lying or absent Content-Length included). */
async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  const tooLarge = () => new RequestBodyError(413, "payload_too_large", `The request body is larger than ${maxBytes} bytes.`);
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!request.body) return "";
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
  return new TextDecoder("utf-8", { fatal: false }).decode(Buffer.concat(chunks));
}

/** JSON or form-encoded (`readForm` maps the fields); an empty body is `{}`. */
async function readBody(request: Request, maxBytes: number, readForm: (form: URLSearchParams) => unknown): Promise<unknown> {
  const text = await readBodyText(request, maxBytes);
  const type = (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (text.trim() === "") return {};
  if (type === "application/x-www-form-urlencoded") return readForm(new URLSearchParams(text));
  if (type === "application/json" || type === "" || type.endsWith("+json")) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new RequestBodyError(400, "bad_request", "The request body is not valid JSON.");
    }
  }
  throw new RequestBodyError(415, "unsupported_media_type", "Send the body as application/json or application/x-www-form-urlencoded.");
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

/** The client's address as the proxy in front (or `next start` itself) reports it. */
export function readClientIp(request: Request): string {
  const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  const real = request.headers.get("x-real-ip")?.trim();
  const address = forwarded || real;
  return address && address.length <= 100 ? address : "unknown";
}

/**
 * The adapter for endpoints that act for the caller (subscribe, confirm, manage, unsubscribe): query and body
 * parsed with strict schemas (400 with the problems), a body over the size limit → 413, typed errors → their
 * status (429 with Retry-After), the answer never cached.
 */
export async function handleApiAction<Q extends z.ZodObject, B extends z.ZodType>(
  request: Request,
  options: { query: Q; body?: B; readForm?: (form: URLSearchParams) => unknown; status?: number; maxBodyBytes?: number },
  handler: (input: { query: z.infer<Q>; body: z.infer<B>; now: Date; clientIp: string }) => Promise<unknown>,
): Promise<Response> {
  const url = new URL(request.url);
  const parsedQuery = parseQueryString(options.query, url.searchParams);
  if (!parsedQuery.success) return errorResponse(400, { code: "bad_request", message: parsedQuery.message, details: parsedQuery.problems });

  let body: unknown = undefined;
  if (options.body) {
    let raw: unknown;
    try {
      raw = await readBody(request, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, options.readForm ?? ((form) => Object.fromEntries(form)));
    } catch (error) {
      if (error instanceof RequestBodyError) return errorResponse(error.status, { code: error.code, message: error.message });
      throw error;
    }
    const parsedBody = options.body.safeParse(raw);
    if (!parsedBody.success) {
      const problems = listBodyProblems(parsedBody.error);
      const message = `Invalid request: ${problems.map((problem) => `"${problem.parameter}": ${problem.message}`).join("; ")}`;
      return errorResponse(400, { code: "bad_request", message, details: problems });
    }
    body = parsedBody.data;
  }

  try {
    const result = await handler({ query: parsedQuery.data, body: body as z.infer<B>, now: getClock().now(), clientIp: readClientIp(request) });
    return Response.json(result, { status: options.status ?? 200, headers: ACTION_HEADERS });
  } catch (error) {
    if (error instanceof AppError) {
      if (error.httpStatus >= 500) getLogger().error({ err: error, path: url.pathname }, "api action failed");
      const retryAfterSeconds = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
      return errorResponse(
        error.httpStatus,
        { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) },
        typeof retryAfterSeconds === "number" ? { "Retry-After": String(retryAfterSeconds) } : {},
      );
    }
    getLogger().error({ err: error, path: url.pathname }, "api action failed");
    return errorResponse(500, { code: "internal", message: "Internal error" });
  }
}
