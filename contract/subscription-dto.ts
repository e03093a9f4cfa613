import { z } from "zod";
import { SubscriptionScope } from "../core/alerts/subscription-scope";
import { isSubscriptionReminders, SUBSCRIPTION_REMINDERS } from "../core/notifications/reminders";

/** Largest request body the subscription endpoints read (bigger → 413). */
export const MAX_SUBSCRIPTION_BODY_BYTES = 16 * 1024;
export const MAX_EMAIL_LENGTH = 254;

export const SUBSCRIPTION_DELIVERIES = ["immediate", "daily"] as const;
export type SubscriptionDelivery = (typeof SUBSCRIPTION_DELIVERIES)[number];

/** The same answer whatever the address: nobody can learn from it whether an address is subscribed. */
export const SUBSCRIBE_ANSWER = "If the address can receive mail, a confirmation link is on its way.";

// A control character in an address could smuggle extra header lines into a mail (CR/LF injection).
// eslint-disable-next-line no-control-regex -- matching control characters is what this expression is for
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** An email address as typed: no control characters, trimmed, lower-cased, at most 254 characters. */
export const EmailAddress = z
  .string()
  .max(1000, "the address is far too long")
  .refine((value) => !CONTROL_CHARACTERS.test(value), "the address must not contain line breaks or other control characters")
  .transform((value) => value.trim().toLowerCase())
  .pipe(z.email("not a valid email address").max(MAX_EMAIL_LENGTH, `an address has at most ${MAX_EMAIL_LENGTH} characters`));

export const Reminders = z
  .enum(SUBSCRIPTION_REMINDERS)
  .describe("How often a reminder of an alert that keeps firing comes: at most daily (the default), weekly, or never.");

/** A scope as a request sends it: unknown fields are an error, not silently dropped. */
export const SubscriptionScopeInput = z.strictObject(SubscriptionScope.shape);

export const SubscribeRequest = z
  .strictObject({
    email: EmailAddress,
    scope: SubscriptionScopeInput.default(SubscriptionScopeInput.parse({})),
    delivery: z.enum(SUBSCRIPTION_DELIVERIES).default("immediate"),
    reminders: Reminders.default("daily"),
  })
  .describe("A subscription request; confirmed by the link mailed to the address.");
export type SubscribeRequest = z.infer<typeof SubscribeRequest>;

export const SubscribeResponse = z.object({ message: z.string() }).describe("Always the same answer, whether or not the address is known.");
export type SubscribeResponse = z.infer<typeof SubscribeResponse>;

export const SubscriptionTokenQuery = z.object({
  token: z.string().min(1).max(512).describe("The token of a link srcwatch mailed."),
});

export const ConfirmSubscriptionRequest = z.strictObject({ token: z.string().min(1).max(512) });

export const SubscriptionView = z
  .object({
    email: z.string(),
    status: z.enum(["pending", "active", "unsubscribed"]),
    scope: SubscriptionScope,
    delivery: z.enum(SUBSCRIPTION_DELIVERIES),
    reminders: Reminders,
    createdAt: z.iso.datetime(),
    confirmedAt: z.iso.datetime().nullable(),
  })
  .describe("A subscription as its link holder sees it.");
export type SubscriptionView = z.infer<typeof SubscriptionView>;

export const ConfirmSubscriptionResponse = z.object({
  subscription: SubscriptionView,
  /** Token of the manage link, so the confirmation page can link to it. */
  manageToken: z.string(),
  /** Currently firing alerts queued for the new subscriber. */
  queuedAlerts: z.number().int().min(0),
});
export type ConfirmSubscriptionResponse = z.infer<typeof ConfirmSubscriptionResponse>;

export const ManageSubscriptionResponse = z.object({ subscription: SubscriptionView });
export type ManageSubscriptionResponse = z.infer<typeof ManageSubscriptionResponse>;

export const UpdateSubscriptionRequest = z.strictObject({
  scope: SubscriptionScopeInput,
  delivery: z.enum(SUBSCRIPTION_DELIVERIES),
  reminders: Reminders.optional().describe("Left out: unchanged."),
});
export type UpdateSubscriptionRequest = z.infer<typeof UpdateSubscriptionRequest>;

/** The whole body of an RFC 8058 one-click unsubscribe, form-encoded (URL-encoded or multipart). */
export const ONE_CLICK_UNSUBSCRIBE_FORM = { "List-Unsubscribe": "One-Click" } as const;

/** RFC 8058 one-click (`List-Unsubscribe=One-Click`, form-encoded) or an empty JSON object. */
export const UnsubscribeRequest = z.strictObject({ "List-Unsubscribe": z.literal("One-Click").optional() });

export const UnsubscribeResponse = z.object({ status: z.literal("unsubscribed"), message: z.string() });
export type UnsubscribeResponse = z.infer<typeof UnsubscribeResponse>;

export function toSubscriptionView(row: {
  email: string;
  status: string;
  scope: SubscriptionScope;
  delivery: string;
  reminders: string;
  createdAt: Date;
  confirmedAt: Date | null;
}): SubscriptionView {
  return SubscriptionView.parse({
    email: row.email,
    status: row.status,
    scope: row.scope,
    delivery: row.delivery,
    reminders: isSubscriptionReminders(row.reminders) ? row.reminders : "daily",
    createdAt: row.createdAt.toISOString(),
    confirmedAt: row.confirmedAt?.toISOString() ?? null,
  });
}
