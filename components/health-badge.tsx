import type { SourceHealth } from "@/contract/mirror-dto";

const UNREACHABLE_KINDS = new Set(["network", "timeout"]);

/** "ok", "unreachable (network)", "failing (http)", "stale", "never polled". */
export function describeHealth(health: SourceHealth): string {
  switch (health.status) {
    case "ok":
      return "ok";
    case "stale":
      return "stale";
    case "never_polled":
      return "never polled";
    case "failing": {
      const kind = health.lastErrorKind;
      if (kind && UNREACHABLE_KINDS.has(kind)) return `unreachable (${kind})`;
      return kind ? `failing (${kind})` : "failing";
    }
  }
}

const ICONS: Record<SourceHealth["status"], string> = { ok: "✓", failing: "✗", stale: "◷", never_polled: "–" };

const STYLES: Record<SourceHealth["status"], string> = {
  ok: "text-emerald-800 dark:text-emerald-300",
  failing: "text-red-800 dark:text-red-300",
  stale: "text-amber-900 dark:text-amber-300",
  never_polled: "text-zinc-600 dark:text-zinc-400",
};

export function HealthBadge({ health }: { health: SourceHealth }) {
  const title = [health.lastErrorMessage, health.consecutiveFailures > 0 ? `${health.consecutiveFailures} consecutive failure(s)` : null]
    .filter(Boolean)
    .join(" · ");
  return (
    <span className={`inline-flex items-center gap-1 whitespace-nowrap font-medium ${STYLES[health.status]}`} title={title || undefined}>
      <span aria-hidden="true">{ICONS[health.status]}</span>
      {describeHealth(health)}
    </span>
  );
}
