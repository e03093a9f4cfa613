import { Instant } from "@/components/ui/instant";
import type { AlertEventDto } from "@/contract/alert-dto";

const EVENT_LABELS: Record<AlertEventDto["type"], string> = {
  fired: "Fired",
  grew: "More updates",
  shrank: "Fewer updates",
  reminder: "Reminder",
  inhibited: "Folded into the mirror's publishing-stopped alert",
  uninhibited: "No longer folded into a publishing-stopped alert",
  resolved: "Resolved",
};

/** Why no notification was queued for an event, in words. */
export function describeQuietReason(reason: string | null): string {
  if (reason === null) return "not notified";
  if (reason === "inhibited") return "not notified: the mirror's publishing-stopped alert tells it";
  if (reason.startsWith("silenced:")) return `not notified: silenced (silence #${reason.slice("silenced:".length)})`;
  if (reason === "group_interval") return "not notified yet: changes are sent at most once per group interval";
  if (reason === "notified_before") return "not notified: subscribers were told before";
  if (reason === "not_notified_before") return "not notified: nobody had been told about this alert";
  return `not notified: ${reason}`;
}

function describeChannel(counts: AlertEventDto["deliveries"]["email"], one: string, many: string): string[] {
  const total = counts.sent + counts.waiting + counts.failed;
  if (total === 0) return [];
  const parts = [`${total} ${total === 1 ? one : many}`];
  const states = [
    counts.sent > 0 && counts.sent < total ? `${counts.sent} sent` : null,
    counts.waiting > 0 ? `${counts.waiting} waiting` : null,
    counts.failed > 0 ? `${counts.failed} failed` : null,
  ].filter((state): state is string => state !== null);
  return [states.length > 0 ? `${parts[0]} (${states.join(", ")})` : parts[0]];
}

/** What the notifications of an event actually became, per channel: "mailed to 2 subscribers · 1 webhook (1 waiting)". */
export function describeDeliveries(deliveries: AlertEventDto["deliveries"]): string {
  const email = describeChannel(deliveries.email, "subscriber", "subscribers");
  const webhook = describeChannel(deliveries.webhook, "webhook", "webhooks");
  if (email.length === 0 && webhook.length === 0) return "notified: nobody was subscribed to it then";
  return [...email.map((text) => `mailed to ${text}`), ...webhook.map((text) => `sent to ${text}`)].join(" · ");
}

function AdvisoryIds({ label, ids }: { label: string; ids: string[] }) {
  if (ids.length === 0) return null;
  return (
    <p className="text-xs text-zinc-600 dark:text-zinc-400">
      {label}: <span className="font-mono">{ids.join(", ")}</span>
    </p>
  );
}

/** The alert's events, oldest first, each with whether it was notified or why not. */
const countDeliveries = (deliveries: AlertEventDto["deliveries"]) =>
  Object.values(deliveries).reduce((sum, counts) => sum + counts.sent + counts.waiting + counts.failed, 0);

/** A reminder that reached nobody is not a step anyone lived through: counted, not listed. */
const isUnheardReminder = (event: AlertEventDto) => event.type === "reminder" && countDeliveries(event.deliveries) === 0;

export function AlertTimeline({ events }: { events: AlertEventDto[] }) {
  const unheard = events.filter(isUnheardReminder).length;
  return (
    <>
      <ol className="space-y-3 border-l-2 border-zinc-200 pl-4 dark:border-zinc-700">
        {events
          .filter((event) => !isUnheardReminder(event))
          .map((event) => (
            <li key={event.id} className="space-y-0.5">
              <p className="flex flex-wrap items-baseline gap-x-2">
                <span className="font-medium">{EVENT_LABELS[event.type] ?? event.type}</span>
                <Instant at={event.at} className="whitespace-nowrap text-sm tabular-nums text-zinc-600 dark:text-zinc-400" />
              </p>
              <p className="text-sm">
                {event.notified ? (
                  <span className="text-emerald-800 dark:text-emerald-300">
                    <span aria-hidden="true">✉ </span>
                    {describeDeliveries(event.deliveries)}
                  </span>
                ) : (
                  <span className="text-zinc-600 dark:text-zinc-400">{describeQuietReason(event.quietReason)}</span>
                )}
              </p>
              <AdvisoryIds label="Came" ids={event.added} />
              <AdvisoryIds label="Went" ids={event.removed} />
            </li>
          ))}
      </ol>
      {unheard > 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {unheard === 1 ? "One reminder" : `${unheard} reminders`} reached nobody (no subscriber in scope, or none due for one) and{" "}
          {unheard === 1 ? "is" : "are"} not listed.
        </p>
      ) : null}
    </>
  );
}
