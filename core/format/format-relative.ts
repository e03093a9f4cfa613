import { formatDuration } from "./format-duration";

/** "3 h ago" / "in 2 d" relative to `now`; "just now" within half a minute. */
export function formatRelative(at: string | Date, now: string | Date): string {
  const seconds = (new Date(now).getTime() - new Date(at).getTime()) / 1000;
  if (Math.abs(seconds) < 30) return "just now";
  return seconds >= 0 ? `${formatDuration(seconds)} ago` : `in ${formatDuration(-seconds)}`;
}
