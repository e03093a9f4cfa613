export const dynamic = "force-dynamic";

/** Liveness: the process answers. It reads nothing, so a database outage never gets a healthy web process restarted. */
export function GET(): Response {
  return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
}
