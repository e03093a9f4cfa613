import { parseQueryString, toQueryString } from "@/contract/query-string";
import { ALERT_KIND_LABELS } from "@/core/alerts/types";
import { getClock } from "@/server/clock";
import { getConfig } from "@/server/config/get-config";
import { buildAlertsAtomFeed } from "@/server/feeds/build-alerts-atom-feed";
import { getLogger } from "@/server/logger";
import { AlertFeedQuery } from "@/contract/alert-dto";
import { listAlertFeedEntries } from "@/server/read/list-alert-feed-entries";
import { createEtag, isEtagMatch } from "../../api/v1/_lib/handle-api-request";

export const dynamic = "force-dynamic";

const DAY_MS = 86_400_000;

function textResponse(status: number, text: string): Response {
  return new Response(`${text}\n`, {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", "Access-Control-Allow-Origin": "*" },
  });
}

/** The alerts as Atom: /feeds/alerts.atom?mirror=git.centos.org&major=8&kind=publishing_stopped&status=firing */
export async function GET(request: Request) {
  const parsed = parseQueryString(AlertFeedQuery, new URL(request.url).searchParams);
  if (!parsed.success) return textResponse(400, parsed.message);
  const query = parsed.data;
  const config = getConfig();
  const origin = config.notifications.publicUrl.replace(/\/+$/, "");
  const normalized = toQueryString({ mirror: query.mirror, major: query.major, kind: query.kind, status: query.status });
  const mirrorNames = new Map(config.mirrors.map((mirror) => [mirror.id, mirror.name]));
  const filterLabel = [
    query.mirror?.map((id) => mirrorNames.get(id) ?? id).join(", "),
    query.major ? `RHEL ${query.major.join(", ")}` : undefined,
    query.kind?.map((kind) => ALERT_KIND_LABELS[kind]).join(", "),
    query.status,
  ]
    .filter(Boolean)
    .join(" · ");

  let xml: string;
  try {
    const now = getClock().now();
    xml = buildAlertsAtomFeed(await listAlertFeedEntries(query), {
      publicUrl: origin,
      selfUrl: `${origin}/feeds/alerts.atom${normalized ? `?${normalized}` : ""}`,
      filterLabel: filterLabel || null,
      filterKey: normalized.replaceAll("&", ";"),
      emptySince: new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS),
    });
  } catch (error) {
    getLogger().error({ err: error, path: "/feeds/alerts.atom" }, "alerts feed failed");
    return textResponse(500, "Internal error");
  }
  const etag = createEtag(xml);
  const headers = { "Cache-Control": "no-cache", ETag: etag, "Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "ETag" };
  if (isEtagMatch(request.headers.get("If-None-Match"), etag)) return new Response(null, { status: 304, headers });
  return new Response(xml, { headers: { ...headers, "Content-Type": "application/atom+xml; charset=utf-8" } });
}
