import { z } from "zod";
import { parseQueryString } from "@/components/query-string";
import { getClock } from "@/server/clock";
import { AppError } from "@/server/errors";
import { getLogger } from "@/server/logger";
import type { ApiErrorBody } from "@/server/read/dto";

export const NoQuery = z.object({});

const NO_STORE = { "Cache-Control": "no-store" };

function errorResponse(status: number, error: ApiErrorBody["error"]): Response {
  return Response.json({ error } satisfies ApiErrorBody, { status, headers: NO_STORE });
}

/**
 * The one adapter between HTTP and the read functions: parse the query string with the endpoint's schema,
 * run the handler with the (scenario) clock's now, map typed errors to their status once.
 */
export async function handleApiRequest<S extends z.ZodObject>(
  request: Request,
  querySchema: S,
  handler: (input: { query: z.infer<S>; now: Date }) => Promise<unknown>,
): Promise<Response> {
  const url = new URL(request.url);
  const parsed = parseQueryString(querySchema, url.searchParams);
  if (!parsed.success) {
    return errorResponse(400, { code: "bad_request", message: parsed.message, details: parsed.problems });
  }
  try {
    const body = await handler({ query: parsed.data, now: getClock().now() });
    return Response.json(body, { headers: NO_STORE });
  } catch (error) {
    if (error instanceof AppError) {
      if (error.httpStatus >= 500) getLogger().error({ err: error, path: url.pathname }, "api request failed");
      return errorResponse(error.httpStatus, {
        code: error.code,
        message: error.message,
        ...(error.details === undefined ? {} : { details: error.details }),
      });
    }
    getLogger().error({ err: error, path: url.pathname, query: url.search }, "api request failed");
    return errorResponse(500, { code: "internal", message: "Internal error" });
  }
}

/** Path segments arrive percent-encoded or not depending on the client; advisory ids contain ":". */
export function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
