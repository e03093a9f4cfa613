"use client";

import { describeReminders } from "./describe-reminders";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { useIsHydrated } from "@/components/ui/use-is-hydrated";
import { ALERT_KIND_LABELS } from "@/core/alerts/types";
import type { ConfirmSubscriptionResponse } from "@/contract/subscription-dto";
import { postSubscriptionAction } from "./post-subscription-action";
import { primaryButtonClass } from "./subscription-styles";

function describeList(values: readonly (string | number)[], all: string, format: (value: string | number) => string = String): string {
  return values.length === 0 ? all : values.map(format).join(", ");
}

/** The confirmation is a POST behind a button: mail scanners that open the link confirm nothing. */
export function ConfirmSubscriptionButton({ token, mirrorNames }: { token: string; mirrorNames: Record<string, string> }) {
  const isHydrated = useIsHydrated();
  const [state, setState] = useState<"idle" | "sending" | "error">("idle");
  const [message, setMessage] = useState<string | null>(null);
  const [confirmed, setConfirmed] = useState<ConfirmSubscriptionResponse | null>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (confirmed || state === "error") resultRef.current?.focus();
  }, [confirmed, state]);

  async function confirm() {
    setState("sending");
    const result = await postSubscriptionAction<ConfirmSubscriptionResponse>("/api/v1/subscriptions/confirm", {
      method: "POST",
      body: { token },
    });
    if (result.ok) setConfirmed(result.data);
    else {
      setMessage(result.message);
      setState("error");
    }
  }

  if (confirmed) {
    const { subscription } = confirmed;
    return (
      <div
        ref={resultRef}
        tabIndex={-1}
        role="status"
        className="space-y-3 rounded-md border border-emerald-300 bg-emerald-50 px-4 py-4 text-sm text-emerald-950 dark:border-emerald-800 dark:bg-emerald-950/50 dark:text-emerald-100"
      >
        <h2 className="text-lg font-semibold">Your subscription is confirmed</h2>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
          <dt className="font-medium">Address</dt>
          <dd>{subscription.email}</dd>
          <dt className="font-medium">Mirrors</dt>
          <dd>{describeList(subscription.scope.mirrors, "all", (id) => mirrorNames[String(id)] ?? String(id))}</dd>
          <dt className="font-medium">RHEL majors</dt>
          <dd>{describeList(subscription.scope.majors, "all", (major) => `RHEL ${major}`)}</dd>
          <dt className="font-medium">Alerts</dt>
          <dd>{subscription.scope.kinds.map((kind) => ALERT_KIND_LABELS[kind]).join(", ")}</dd>
          <dt className="font-medium">Delivery</dt>
          <dd>{subscription.delivery === "daily" ? "Daily digest" : "Immediately"}</dd>
          <dt className="font-medium">Reminders</dt>
          <dd>{describeReminders(subscription.reminders)}</dd>
        </dl>
        {confirmed.queuedAlerts > 0 ? (
          <p>
            {confirmed.queuedAlerts === 1 ? "One alert is" : `${confirmed.queuedAlerts} alerts are`} already firing in your scope: you will
            get {confirmed.queuedAlerts === 1 ? "it" : "them"} by mail shortly.
          </p>
        ) : null}
        <p>
          <Link href={`/subscriptions/manage?token=${encodeURIComponent(confirmed.manageToken)}`} className="font-medium underline">
            Manage your subscription
          </Link>{" "}
          (every mail also carries this link).
        </p>
      </div>
    );
  }

  return (
    <div className="space-y-3">
      <button type="button" onClick={confirm} disabled={!isHydrated || state === "sending"} className={primaryButtonClass}>
        {state === "sending" ? "Confirming…" : "Confirm your subscription"}
      </button>
      {state === "error" ? (
        <div
          ref={resultRef}
          tabIndex={-1}
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-950 dark:border-red-800 dark:bg-red-950/50 dark:text-red-100"
        >
          <p className="font-semibold">The subscription could not be confirmed</p>
          <p>{message}</p>
          <p>
            <Link href="/subscribe" className="underline">
              Subscribe again
            </Link>
          </p>
        </div>
      ) : null}
    </div>
  );
}
