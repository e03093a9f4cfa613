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

function AdvisoryIds({ label, ids }: { label: string; ids: string[] }) {
  if (ids.length === 0) return null;
  return (
    <p className="text-xs text-zinc-600 dark:text-zinc-400">
      {label}: <span className="font-mono">{ids.join(", ")}</span>
    </p>
  );
}

/** The alert's events, oldest first, each with whether it was notified or why not. */
export function AlertTimeline({ events }: { events: AlertEventDto[] }) {
  return (
    <ol className="space-y-3 border-l-2 border-zinc-200 pl-4 dark:border-zinc-700">
      {events.map((event) => (
        <li key={event.id} className="space-y-0.5">
          <p className="flex flex-wrap items-baseline gap-x-2">
            <span className="font-medium">{EVENT_LABELS[event.type] ?? event.type}</span>
            <Instant at={event.at} className="whitespace-nowrap text-sm tabular-nums text-zinc-600 dark:text-zinc-400" />
          </p>
          <p className="text-sm">
            {event.notified ? (
              <span className="text-emerald-800 dark:text-emerald-300">
                <span aria-hidden="true">✉ </span>notified
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
  );
}
