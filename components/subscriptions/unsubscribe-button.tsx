"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { useIsHydrated } from "@/components/ui/use-is-hydrated";
import { postSubscriptionAction } from "./post-subscription-action";
import { dangerButtonClass } from "./subscription-styles";

/** One button that ends the subscription; then says so, with a way back. */
export function UnsubscribeButton({ token }: { token: string }) {
  const isHydrated = useIsHydrated();
  const [state, setState] = useState<"idle" | "sending" | "done" | "error">("idle");
  const [message, setMessage] = useState<string | null>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (state === "done" || state === "error") resultRef.current?.focus();
  }, [state]);

  async function unsubscribe() {
    setState("sending");
    const result = await postSubscriptionAction(`/api/v1/subscriptions/unsubscribe?token=${encodeURIComponent(token)}`, {
      method: "POST",
      body: {},
    });
    setState(result.ok ? "done" : "error");
    if (!result.ok) setMessage(result.message);
  }

  if (state === "done") {
    return (
      <div
        ref={resultRef}
        tabIndex={-1}
        role="status"
        className="rounded-md border border-emerald-300 bg-emerald-50 px-4 py-4 text-sm text-emerald-950 dark:border-emerald-800 dark:bg-emerald-950/50 dark:text-emerald-100"
      >
        <h2 className="text-lg font-semibold">You are unsubscribed</h2>
        <p className="mt-1">srcwatch sends this subscription nothing more. Its links no longer work.</p>
        <p className="mt-1">
          <Link href="/subscribe" className="underline">
            Subscribe again
          </Link>
        </p>
      </div>
    );
  }
  return (
    <div className="space-y-3">
      <button type="button" onClick={unsubscribe} disabled={!isHydrated || state === "sending"} className={dangerButtonClass}>
        {state === "sending" ? "Unsubscribing…" : "Unsubscribe"}
      </button>
      {state === "error" ? (
        <div
          ref={resultRef}
          tabIndex={-1}
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-950 dark:border-red-800 dark:bg-red-950/50 dark:text-red-100"
        >
          <p className="font-semibold">Could not unsubscribe</p>
          <p>{message}</p>
        </div>
      ) : null}
    </div>
  );
}
