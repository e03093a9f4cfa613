import { formatInstant, formatDate } from "./format-instant";

/** An instant as UTC text, machine-readable in `dateTime`. */
export function Instant({ at, dateOnly = false, className }: { at: string; dateOnly?: boolean; className?: string }) {
  return (
    <time dateTime={at} title={at} className={className ?? "whitespace-nowrap tabular-nums"}>
      {dateOnly ? formatDate(at) : formatInstant(at)}
    </time>
  );
}
