import type { Metadata } from "next";
import { buildPageMetadata } from "@/server/http/page-metadata";
import { readSubscriptionPresets } from "@/components/subscriptions/read-subscription-presets";
import { SubscriptionForm } from "@/components/subscriptions/subscription-form";
import { Panel } from "@/components/ui/panel";
import { getConfig } from "@/server/config/get-config";

export const dynamic = "force-dynamic";

export const metadata: Metadata = buildPageMetadata({
  title: "Subscribe to alerts",
  description: "Mail when a mirror stops publishing the sources of RHEL updates, or an update is overdue there.",
  path: "/subscribe",
});

export default async function SubscribePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const config = getConfig();
  const mirrors = config.mirrors.map((mirror) => ({ id: mirror.id, name: mirror.name }));
  const majors = [...new Set(config.mirrors.flatMap((mirror) => mirror.majors))].sort((a, b) => a - b);
  const presets = readSubscriptionPresets(await searchParams, { mirrorIds: mirrors.map((mirror) => mirror.id), majors });
  return (
    <div className="max-w-3xl space-y-4">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold tracking-tight">Subscribe to alerts</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Get an email when RHEL updates stop reaching a mirror, go missing or are late — no account needed. Every mail has a link to change
          or end the subscription in one click.
        </p>
      </div>
      {config.notifications.email ? (
        <SubscriptionForm
          mode={{ kind: "subscribe" }}
          mirrors={mirrors}
          majors={majors}
          scope={presets.scope}
          delivery={presets.delivery}
          reminders={presets.reminders}
        />
      ) : (
        <Panel tone="warning" title="Email alerts are not available on this server">
          <p>
            Email notifications are not configured on this server, so it cannot take subscriptions. The alerts page and its Atom feed still
            show every alert.
          </p>
        </Panel>
      )}
    </div>
  );
}
