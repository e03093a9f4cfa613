import { formatRelative } from "@/core/format/format-relative";
import { formatInstant } from "@/core/format/format-instant";

/** "3 h ago", with the exact UTC instant in `dateTime` and the tooltip. `now` comes from the server's clock. */
export function RelativeInstant({ at, now }: { at: string; now: string }) {
  return (
    <time dateTime={at} title={formatInstant(at)} className="whitespace-nowrap tabular-nums">
      {formatRelative(at, now)}
    </time>
  );
}
