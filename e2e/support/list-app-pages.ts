import type { APIRequestContext } from "@playwright/test";

export interface AppPage {
  name: string;
  path: string;
}

/** Pages a person reaches, with real ids taken from the running app. */
export async function listAppPages(request: APIRequestContext): Promise<AppPage[]> {
  const response = await request.get("/api/v1/advisories?verdict=published&mirror=git.centos.org&pageSize=1");
  const body = (await response.json()) as { items: { id: string; packages: string[] }[] };
  const advisory = body.items[0];
  const packageName = advisory.packages[0].replace(/-\d+:.*$/, "");
  const alerts = (await (await request.get("/api/v1/alerts?status=all&pageSize=1")).json()) as { items: { id: number }[] };
  return [
    { name: "overview", path: "/" },
    { name: "updates", path: "/updates" },
    { name: "filtered updates", path: "/updates?verdict=missing&mirror=git.centos.org&major=8" },
    { name: "advisory", path: `/advisories/${encodeURIComponent(advisory.id)}` },
    { name: "poll runs", path: "/poll-runs" },
    { name: "missing-update report", path: "/reports/missing?mirror=git.centos.org&major=8" },
    { name: "printable report", path: "/reports/missing/print?mirror=git.centos.org&major=8" },
    { name: "package", path: `/packages/${encodeURIComponent(packageName)}` },
    { name: "packages × mirrors", path: "/packages?major=8" },
    { name: "search", path: `/search?q=${encodeURIComponent(packageName)}` },
    { name: "mirror", path: "/mirrors/git.centos.org" },
    { name: "not found", path: "/advisories/RHSA-1999:0001" },
    { name: "alerts", path: "/alerts" },
    ...(alerts.items[0] ? [{ name: "alert", path: `/alerts/${alerts.items[0].id}` }] : []),
    { name: "subscribe", path: "/subscribe?mirror=git.centos.org&major=8" },
    { name: "confirm (bad link)", path: "/subscribe/confirm?token=x" },
    { name: "manage (bad link)", path: "/subscriptions/manage?token=x" },
    { name: "unsubscribe", path: "/unsubscribe?token=x" },
  ];
}
