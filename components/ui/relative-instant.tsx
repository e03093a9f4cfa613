import { formatRelative } from "@/core/format/format-relative";
import { formatInstant } from "@/core/format/format-instant";

/**
 * "3 h ago", with the exact UTC instant in `dateTime` and the tooltip. `now` comes from the server's clock. Every use
 * is of something that happened (a poll, a status change): an instant after `now` is a write that landed while the
 * page was read — a demo's fast clock makes those milliseconds minutes — and reads "just now", never "in 16 min".
 */
export function RelativeInstant({ at, now }: { at: string; now: string }) {
  const isAfterNow = new Date(at).getTime() > new Date(now).getTime();
  return (
    <time dateTime={at} title={formatInstant(at)} className="whitespace-nowrap tabular-nums">
      {isAfterNow ? "just now" : formatRelative(at, now)}
    </time>
  );
}
