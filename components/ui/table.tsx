import type { ReactNode } from "react";

/** A scrollable, captioned table: wide tables scroll sideways on a phone instead of squashing. */
export function Table({
  caption,
  isCaptionVisible = true,
  children,
}: {
  caption: string;
  isCaptionVisible?: boolean;
  children: ReactNode;
}) {
  // The visible title sits outside the scroll area so it wraps on a phone; the caption names the table for assistive tech.
  return (
    <div className="rounded-md border border-zinc-200 dark:border-zinc-800">
      {isCaptionVisible ? (
        <p aria-hidden="true" className="border-b border-zinc-200 px-3 py-2 text-sm font-semibold dark:border-zinc-800">
          {caption}
        </p>
      ) : null}
      <div className="overflow-x-auto" role="region" aria-label={caption} tabIndex={0}>
        <table className="min-w-full border-collapse text-left text-sm">
          <caption className="sr-only">{caption}</caption>
          {children}
        </table>
      </div>
    </div>
  );
}

export const thClass =
  "border-b border-zinc-200 bg-zinc-50 px-3 py-2 text-xs font-semibold uppercase tracking-wide text-zinc-600 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400";
export const tdClass = "border-b border-zinc-100 px-3 py-2 align-top dark:border-zinc-800/60";
export const rowThClass = "border-b border-zinc-100 px-3 py-2 text-left align-top font-medium dark:border-zinc-800/60";
