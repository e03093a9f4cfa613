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
      {/* relative: the scroll area is the containing block of the cells' sr-only text (position: absolute), which would
          otherwise be placed against the page and widen it past the viewport. */}
      <div className="relative overflow-x-auto" role="region" aria-label={caption} tabIndex={0}>
        <table className="min-w-full border-collapse text-left text-sm">
          <caption className="sr-only">{caption}</caption>
          {children}
        </table>
      </div>
    </div>
  );
}

/** Column and row headers and cells of a data table (app/globals.css). */
export const thClass = "data-col-head";
export const tdClass = "data-cell";
export const rowThClass = "data-row-head";
