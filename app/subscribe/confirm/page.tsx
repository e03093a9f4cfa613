import type { Metadata } from "next";
import { ConfirmSubscriptionButton } from "@/components/subscriptions/confirm-subscription-button";
import { InvalidLinkPanel } from "@/components/subscriptions/invalid-link-panel";
import { getClock } from "@/server/clock";
import { getConfig } from "@/server/config/get-config";
import { getDb } from "@/server/db/client";
import { getSubscriptionLinkState } from "@/server/subscriptions/get-subscription-link-state";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Confirm your subscription", referrer: "no-referrer" };

/** Opening the link only shows a button: the POST behind it confirms, so link scanners confirm nothing. */
export default async function ConfirmSubscriptionPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { token } = await searchParams;
  const state =
    typeof token === "string"
      ? await getSubscriptionLinkState(getDb(), { token, purposes: ["confirm"], now: getClock().now() })
      : "invalid";
  const mirrorNames = Object.fromEntries(getConfig().mirrors.map((mirror) => [mirror.id, mirror.name]));
  return (
    <div className="max-w-2xl space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">Confirm your subscription</h1>
      {state === "invalid" || typeof token !== "string" ? (
        <InvalidLinkPanel title="This confirmation link does not work" />
      ) : (
        <>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            {state === "active"
              ? "This subscription is already confirmed; confirming again changes nothing."
              : "One more step: confirm that you want srcwatch alerts at this address."}
          </p>
          <ConfirmSubscriptionButton token={token} mirrorNames={mirrorNames} />
        </>
      )}
    </div>
  );
}
