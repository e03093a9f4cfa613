"use client";

import { SUBSCRIPTION_REMINDERS, type SubscriptionReminders } from "@/core/notifications/reminders";
import { describeReminders } from "./describe-reminders";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useIsHydrated } from "@/components/ui/use-is-hydrated";
import type { SubscriptionScope } from "@/core/alerts/subscription-scope";
import { ADVISORY_SEVERITIES, ALERT_KIND_LABELS, ALERT_KINDS } from "@/core/alerts/types";
import { ALERT_KIND_DESCRIPTIONS } from "./alert-kind-descriptions";
import { postSubscriptionAction } from "./post-subscription-action";
import { errorTextClass, fieldsetClass, hintClass, inputClass, legendClass, primaryButtonClass } from "./subscription-styles";

type Field = "email" | "mirrors" | "majors" | "kinds" | "severities" | "packagePatterns" | "delivery" | "reminders";
type FieldErrors = Partial<Record<Field, string>>;

const FIELD_BY_PARAMETER: [RegExp, Field][] = [
  [/^email\b/, "email"],
  [/^scope\.mirrors?\b/, "mirrors"],
  [/^scope\.majors?\b/, "majors"],
  [/^scope\.kinds?\b/, "kinds"],
  [/^scope\.severit/, "severities"],
  [/^scope\.packagePatterns\b/, "packagePatterns"],
  [/^delivery\b/, "delivery"],
  [/^reminders\b/, "reminders"],
];

const FIELD_LABELS: Record<Field, string> = {
  email: "Email address",
  mirrors: "Mirrors",
  majors: "RHEL majors",
  kinds: "Alert kinds",
  severities: "Severities",
  packagePatterns: "Package name patterns",
  delivery: "Delivery",
  reminders: "Reminders",
};

function toFieldErrors(problems: { parameter: string; message: string }[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const problem of problems) {
    const field = FIELD_BY_PARAMETER.find(([pattern]) => pattern.test(problem.parameter))?.[1];
    if (field) errors[field] = errors[field] ? `${errors[field]}; ${problem.message}` : problem.message;
  }
  return errors;
}

function readScope(form: FormData): SubscriptionScope {
  const strings = (name: string) => form.getAll(name).map(String);
  return {
    mirrors: strings("mirror"),
    majors: strings("major").map(Number),
    kinds: strings("kind") as SubscriptionScope["kinds"],
    severities: strings("severity") as SubscriptionScope["severities"],
    packagePatterns: String(form.get("packagePatterns") ?? "")
      .split(/[\s,]+/)
      .filter(Boolean),
  };
}

function CheckboxGroup({
  legend,
  hint,
  name,
  options,
  selected,
  error,
}: {
  legend: string;
  hint?: string;
  name: string;
  options: { value: string; label: string; description?: string }[];
  selected: readonly string[];
  error?: string;
}) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <fieldset className={fieldsetClass} aria-describedby={describedBy}>
      <legend className={legendClass}>{legend}</legend>
      {hint ? (
        <p id={`${id}-hint`} className={`${hintClass} mb-2`}>
          {hint}
        </p>
      ) : null}
      <div className={options.some((option) => option.description) ? "space-y-2" : "flex flex-wrap gap-x-4 gap-y-1"}>
        {options.map((option) => (
          <label key={option.value} className="flex items-start gap-2 text-sm">
            <input
              type="checkbox"
              className="mt-0.5 size-4 shrink-0"
              name={name}
              value={option.value}
              defaultChecked={selected.includes(option.value)}
            />
            <span>
              {option.label}
              {option.description ? <span className={`block ${hintClass}`}>{option.description}</span> : null}
            </span>
          </label>
        ))}
      </div>
      {error ? (
        <p id={`${id}-error`} className={`${errorTextClass} mt-2`}>
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

export interface SubscriptionFormProps {
  mode: { kind: "subscribe" } | { kind: "manage"; token: string };
  mirrors: { id: string; name: string }[];
  majors: number[];
  scope: SubscriptionScope;
  delivery: "immediate" | "daily";
  reminders: SubscriptionReminders;
  email?: string;
}

/** The scope and delivery of a subscription; with an address to subscribe, or from a manage link to change them. */
export function SubscriptionForm({ mode, mirrors, majors, scope, delivery, reminders, email }: SubscriptionFormProps) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [summary, setSummary] = useState<{ message: string; attempt: number } | null>(null);
  const [state, setState] = useState<"editing" | "sending" | "sent" | "saved">("editing");
  const summaryRef = useRef<HTMLDivElement>(null);
  const doneRef = useRef<HTMLHeadingElement>(null);
  const savedRef = useRef<HTMLParagraphElement>(null);
  const isSubscribe = mode.kind === "subscribe";
  // The form is sent as JSON by the script below; before it runs, a submit would put the address in a GET URL.
  const isHydrated = useIsHydrated();

  // Focus follows the outcome: the confirmation panel, the saved note, or the error summary of this attempt.
  useEffect(() => {
    if (state === "sent") doneRef.current?.focus();
    else if (state === "saved") savedRef.current?.focus();
  }, [state]);
  useEffect(() => {
    if (summary) summaryRef.current?.focus();
  }, [summary]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const body = {
      ...(isSubscribe ? { email: String(form.get("email") ?? "") } : {}),
      scope: readScope(form),
      delivery: String(form.get("delivery") ?? "immediate"),
      reminders: String(form.get("reminders") ?? "daily"),
    };
    setState("sending");
    const result = isSubscribe
      ? await postSubscriptionAction("/api/v1/subscriptions", { method: "POST", body })
      : await postSubscriptionAction(`/api/v1/subscriptions/manage?token=${encodeURIComponent(mode.token)}`, { method: "PUT", body });
    if (result.ok) {
      setErrors({});
      setSummary(null);
      setState(isSubscribe ? "sent" : "saved");
      return;
    }
    const fieldErrors = toFieldErrors(result.problems);
    const fields = Object.keys(fieldErrors) as Field[];
    const message = fields.length > 0 ? fields.map((field) => `${FIELD_LABELS[field]}: ${fieldErrors[field]}`).join(". ") : result.message;
    setErrors(fieldErrors);
    setSummary((previous) => ({ message, attempt: (previous?.attempt ?? 0) + 1 }));
    setState("editing");
  }

  if (state === "sent") {
    return (
      <div
        role="status"
        className="rounded-md border border-emerald-300 bg-emerald-50 px-4 py-4 text-emerald-950 dark:border-emerald-800 dark:bg-emerald-950/50 dark:text-emerald-100"
      >
        <h2 ref={doneRef} tabIndex={-1} className="text-lg font-semibold">
          Check your inbox
        </h2>
        <p className="mt-1 text-sm">
          If the address can receive mail, a confirmation link is on its way. Nothing is sent to it until you open the link and confirm.
        </p>
      </div>
    );
  }

  const emailId = "subscription-email";
  const patternsId = "subscription-patterns";
  return (
    <form
      noValidate
      onSubmit={onSubmit}
      aria-label={isSubscribe ? "Subscribe to alerts" : "Change your subscription"}
      className="space-y-4"
    >
      {summary ? (
        <div
          ref={summaryRef}
          tabIndex={-1}
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-950 dark:border-red-800 dark:bg-red-950/50 dark:text-red-100"
        >
          <p className="font-semibold">{isSubscribe ? "The subscription was not sent" : "The changes were not saved"}</p>
          <p>{summary.message}</p>
        </div>
      ) : null}
      {isSubscribe ? (
        <div className="flex max-w-md flex-col gap-1">
          <label htmlFor={emailId} className="text-sm font-semibold">
            Email address
          </label>
          <input
            id={emailId}
            name="email"
            type="email"
            autoComplete="email"
            required
            maxLength={254}
            defaultValue={email}
            className={inputClass}
            aria-invalid={errors.email ? true : undefined}
            aria-describedby={`${emailId}-hint${errors.email ? ` ${emailId}-error` : ""}`}
          />
          <p id={`${emailId}-hint`} className={hintClass}>
            We mail a confirmation link; nothing else is sent until you confirm.
          </p>
          {errors.email ? (
            <p id={`${emailId}-error`} className={errorTextClass}>
              {errors.email}
            </p>
          ) : null}
        </div>
      ) : (
        <p className="text-sm">
          Alerts go to <strong>{email}</strong>.
        </p>
      )}
      <div className="grid gap-4 md:grid-cols-2">
        <CheckboxGroup
          legend="Mirrors"
          hint="None ticked: every mirror."
          name="mirror"
          options={mirrors.map((mirror) => ({
            value: mirror.id,
            label: mirror.name === mirror.id ? mirror.name : `${mirror.name} (${mirror.id})`,
          }))}
          selected={scope.mirrors}
          error={errors.mirrors}
        />
        <CheckboxGroup
          legend="RHEL majors"
          hint="None ticked: every major."
          name="major"
          options={majors.map((major) => ({ value: String(major), label: `RHEL ${major}` }))}
          selected={scope.majors.map(String)}
          error={errors.majors}
        />
      </div>
      <CheckboxGroup
        legend="Alert kinds"
        hint="Tick at least one."
        name="kind"
        options={ALERT_KINDS.map((kind) => ({ value: kind, label: ALERT_KIND_LABELS[kind], description: ALERT_KIND_DESCRIPTIONS[kind] }))}
        selected={scope.kinds}
        error={errors.kinds}
      />
      <div className="grid gap-4 md:grid-cols-2">
        <CheckboxGroup
          legend="Severities"
          hint="Of the updates in delayed and missing alerts. None ticked: every severity."
          name="severity"
          options={ADVISORY_SEVERITIES.map((severity) => ({ value: severity, label: severity }))}
          selected={scope.severities}
          error={errors.severities}
        />
        <div className="flex flex-col gap-1">
          <label htmlFor={patternsId} className="text-sm font-semibold">
            Package name patterns
          </label>
          <input
            id={patternsId}
            name="packagePatterns"
            type="text"
            defaultValue={scope.packagePatterns.join(", ")}
            placeholder="kernel*, openssl"
            className={inputClass}
            aria-invalid={errors.packagePatterns ? true : undefined}
            aria-describedby={`${patternsId}-hint${errors.packagePatterns ? ` ${patternsId}-error` : ""}`}
          />
          <p id={`${patternsId}-hint`} className={hintClass}>
            Separated by commas or spaces; * and ? are wildcards. Only for delayed and missing alerts. Empty: every package.
          </p>
          {errors.packagePatterns ? (
            <p id={`${patternsId}-error`} className={errorTextClass}>
              {errors.packagePatterns}
            </p>
          ) : null}
        </div>
      </div>
      <fieldset className={fieldsetClass} aria-describedby={errors.delivery ? "subscription-delivery-error" : undefined}>
        <legend className={legendClass}>Delivery</legend>
        <div className="space-y-1">
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" name="delivery" value="immediate" className="size-4" defaultChecked={delivery === "immediate"} />
            Immediately, one mail per alert change
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" name="delivery" value="daily" className="size-4" defaultChecked={delivery === "daily"} />
            Daily digest, one mail a day at most
          </label>
        </div>
        {errors.delivery ? (
          <p id="subscription-delivery-error" className={`${errorTextClass} mt-2`}>
            {errors.delivery}
          </p>
        ) : null}
      </fieldset>
      <fieldset
        className={fieldsetClass}
        aria-describedby={errors.reminders ? "subscription-reminders-error" : "subscription-reminders-hint"}
      >
        <legend className={legendClass}>Reminders while an alert keeps firing</legend>
        <p id="subscription-reminders-hint" className={`${hintClass} mb-2`}>
          Counted from your last mail about that alert: a new subscriber is not reminded of what they were just told.
        </p>
        <div className="space-y-1">
          {SUBSCRIPTION_REMINDERS.map((value) => (
            <label key={value} className="flex items-center gap-2 text-sm">
              <input type="radio" name="reminders" value={value} className="size-4" defaultChecked={reminders === value} />
              {describeReminders(value)}
            </label>
          ))}
        </div>
        {errors.reminders ? (
          <p id="subscription-reminders-error" className={`${errorTextClass} mt-2`}>
            {errors.reminders}
          </p>
        ) : null}
      </fieldset>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className={primaryButtonClass} disabled={!isHydrated || state === "sending"}>
          {state === "sending" ? (isSubscribe ? "Subscribing…" : "Saving…") : isSubscribe ? "Subscribe" : "Save changes"}
        </button>
        <noscript>
          <p className={hintClass}>This form needs JavaScript.</p>
        </noscript>
        <p ref={savedRef} tabIndex={-1} role="status" className="text-sm font-medium">
          {state === "saved" ? "Your changes are saved." : ""}
        </p>
      </div>
    </form>
  );
}
