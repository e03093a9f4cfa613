import { getLogger } from "@/server/logger";
import { collectMetrics } from "@/server/metrics/collect-metrics";

export const dynamic = "force-dynamic";

/** Prometheus text exposition, read fresh from the database on every scrape. */
export async function GET(): Promise<Response> {
  try {
    const { contentType, text } = await collectMetrics();
    return new Response(text, { headers: { "Content-Type": contentType, "Cache-Control": "no-store" } });
  } catch (error) {
    getLogger().error({ err: error }, "metrics collection failed");
    return new Response("metrics collection failed\n", {
      status: 500,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  }
}
