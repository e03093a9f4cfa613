import type { Metadata } from "next";
import { InvalidLinkPanel } from "@/components/subscriptions/invalid-link-panel";
import { SubscriptionForm } from "@/components/subscriptions/subscription-form";
import { UnsubscribeButton } from "@/components/subscriptions/unsubscribe-button";
import { getClock } from "@/server/clock";
import { getConfig } from "@/server/config/get-config";
import { getDb } from "@/server/db/client";
import { getSubscriptionByToken } from "@/server/subscriptions/get-subscription-by-token";
import { InvalidSubscriptionTokenError } from "@/server/subscriptions/subscription-errors";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Manage your subscription", referrer: "no-referrer" };

async function findSubscription(token: string) {
  try {
    return (await getSubscriptionByToken(getDb(), { token, now: getClock().now() })).subscription;
  } catch (error) {
    if (error instanceof InvalidSubscriptionTokenError) return null;
    throw error;
  }
}

export default async function ManageSubscriptionPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { token } = await searchParams;
  const subscription = typeof token === "string" ? await findSubscription(token) : null;
  const config = getConfig();
  const mirrors = config.mirrors.map((mirror) => ({ id: mirror.id, name: mirror.name }));
  const majors = [...new Set(config.mirrors.flatMap((mirror) => mirror.majors))].sort((a, b) => a - b);
  return (
    <div className="max-w-3xl space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">Manage your subscription</h1>
      {!subscription || typeof token !== "string" ? (
        <InvalidLinkPanel title="This link does not open a subscription" />
      ) : (
        <>
          {subscription.status === "pending" ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              This subscription is not confirmed yet: open the confirmation link we mailed first.
            </p>
          ) : null}
          <SubscriptionForm
            mode={{ kind: "manage", token }}
            mirrors={mirrors}
            majors={majors}
            scope={subscription.scope}
            delivery={subscription.delivery}
            reminders={subscription.reminders}
            email={subscription.email}
          />
          <section aria-labelledby="unsubscribe-heading" className="space-y-2 border-t border-zinc-200 pt-4 dark:border-zinc-800">
            <h2 id="unsubscribe-heading" className="text-lg font-semibold">
              Stop all mail
            </h2>
            <UnsubscribeButton token={token} />
          </section>
        </>
      )}
    </div>
  );
}
