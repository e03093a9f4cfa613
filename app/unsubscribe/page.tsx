import type { Metadata } from "next";
import Link from "next/link";
import { InvalidLinkPanel } from "@/components/subscriptions/invalid-link-panel";
import { UnsubscribeButton } from "@/components/subscriptions/unsubscribe-button";
import { Panel } from "@/components/ui/panel";
import { getClock } from "@/server/clock";
import { getDb } from "@/server/db/client";
import { getSubscriptionLinkState } from "@/server/subscriptions/get-subscription-link-state";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Unsubscribe", referrer: "no-referrer" };

/** One button: opening the link (as mail scanners do) unsubscribes nobody; mail clients use the one-click POST instead. */
export default async function UnsubscribePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { token } = await searchParams;
  const state =
    typeof token === "string"
      ? await getSubscriptionLinkState(getDb(), { token, purposes: ["unsubscribe", "manage"], now: getClock().now() })
      : "invalid";
  return (
    <div className="max-w-2xl space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">Unsubscribe</h1>
      {state === "invalid" || typeof token !== "string" ? (
        <InvalidLinkPanel title="This unsubscribe link does not work" />
      ) : state === "unsubscribed" ? (
        <Panel tone="neutral" role="status" title="You are already unsubscribed">
          <p>srcwatch sends this subscription nothing more.</p>
          <p>
            <Link href="/subscribe" className="underline">
              Subscribe again
            </Link>
          </p>
        </Panel>
      ) : (
        <>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">Stop every srcwatch alert mail of this subscription.</p>
          <UnsubscribeButton token={token} />
        </>
      )}
    </div>
  );
}
