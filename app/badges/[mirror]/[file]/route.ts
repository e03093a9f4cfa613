import { makeBadge } from "badge-maker";
import { z } from "zod";
import { parseQueryString } from "@/contract/query-string";
import { getClock } from "@/server/clock";
import { BadRequestError, NotFoundError } from "@/server/errors";
import { getLogger } from "@/server/logger";
import { BADGE_METRICS, getBadge, type Badge } from "@/server/read/get-badge";
import { createEtag, decodePathSegment, isEtagMatch } from "../../../api/v1/_lib/handle-api-request";

export const dynamic = "force-dynamic";

const BadgeQuery = z.object({
  metric: z.enum(BADGE_METRICS).default("status"),
  style: z.enum(["flat", "flat-square", "for-the-badge"]).default("flat"),
});
type BadgeStyle = z.infer<typeof BadgeQuery>["style"];
type BadgeFormat = "svg" | "json";

const BADGE_FILE = /^(?<major>.*)\.(?<format>svg|json)$/;
const CACHE_SECONDS = 300;

/** `/badges/{mirror}/{major}.svg` (badge-maker) or `.json` (shields.io endpoint schema). */
export async function GET(request: Request, context: { params: Promise<{ mirror: string; file: string }> }): Promise<Response> {
  const { mirror, file } = await context.params;
  let fileMatch: RegExpExecArray | null;
  try {
    fileMatch = BADGE_FILE.exec(decodePathSegment(file));
  } catch (error) {
    if (error instanceof BadRequestError)
      return new Response(`${error.message}\n`, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    throw error;
  }
  if (!fileMatch?.groups) return new Response("Not found\n", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const format = fileMatch.groups.format as BadgeFormat;
  const query = parseQueryString(BadgeQuery, new URL(request.url).searchParams);
  if (!query.success) {
    return renderBadge(
      request,
      { format, style: "flat", status: 400 },
      { label: "srcwatch", message: `invalid ${query.problems[0]?.parameter ?? "query"}`, color: "lightgrey" },
    );
  }
  const { metric, style } = query.data;
  const majorText = fileMatch.groups.major;
  try {
    if (!/^\d{1,3}$/.test(majorText)) throw new NotFoundError("unknown RHEL major");
    const badge = await getBadge({ mirrorId: decodePathSegment(mirror), major: Number(majorText), metric, now: getClock().now() });
    return renderBadge(request, { format, style, status: 200 }, badge);
  } catch (error) {
    if (error instanceof NotFoundError)
      return renderBadge(request, { format, style, status: 404 }, { label: "srcwatch", message: error.message, color: "lightgrey" });
    if (error instanceof BadRequestError)
      return renderBadge(request, { format, style, status: 400 }, { label: "srcwatch", message: "invalid mirror", color: "lightgrey" });
    getLogger().error({ err: error, path: new URL(request.url).pathname }, "badge request failed");
    return renderBadge(request, { format, style, status: 500 }, { label: "srcwatch", message: "error", color: "lightgrey" });
  }
}

function renderBadge(request: Request, options: { format: BadgeFormat; style: BadgeStyle; status: number }, badge: Badge): Response {
  const isError = options.status !== 200;
  const body =
    options.format === "svg"
      ? makeBadge({ ...badge, style: options.style })
      : JSON.stringify({ schemaVersion: 1, ...badge, ...(isError ? { isError: true } : { cacheSeconds: CACHE_SECONDS }) });
  const headers = {
    "Content-Type": options.format === "svg" ? "image/svg+xml; charset=utf-8" : "application/json; charset=utf-8",
    "Access-Control-Allow-Origin": "*",
  };
  if (isError) return new Response(body, { status: options.status, headers: { ...headers, "Cache-Control": "no-store" } });

  const etag = createEtag(body);
  const cacheHeaders = {
    ...headers,
    "Cache-Control": `public, max-age=${CACHE_SECONDS}`,
    ETag: etag,
    "Access-Control-Expose-Headers": "ETag",
  };
  if (isEtagMatch(request.headers.get("if-none-match"), etag)) return new Response(null, { status: 304, headers: cacheHeaders });
  return new Response(body, { status: 200, headers: cacheHeaders });
}
