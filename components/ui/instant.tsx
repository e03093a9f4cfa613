"use client";

import { useSyncExternalStore } from "react";
import { formatDate, formatInstant, formatLocalInstant } from "@/core/format/format-instant";

/** The viewer's time zone does not change while the page is open. */
const subscribeToNothing = () => () => {};
const readTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * An instant in the viewer's time zone, with UTC on hover and machine-readable in `dateTime`.
 * The server (and the first client render) write UTC; the browser switches to local time after mount.
 */
export function Instant({ at, dateOnly = false, className }: { at: string; dateOnly?: boolean; className?: string }) {
  const timeZone = useSyncExternalStore(subscribeToNothing, readTimeZone, () => null);
  const utc = dateOnly ? formatDate(at) : formatInstant(at);
  const text = timeZone ? formatLocalInstant(at, timeZone, dateOnly) : utc;
  return (
    <time dateTime={at} title={dateOnly ? `${utc} (UTC)` : utc} className={className ?? "whitespace-nowrap tabular-nums"}>
      {text}
    </time>
  );
}
