"use client";

import type { MouseEvent } from "react";

const linkClass = "rounded border border-zinc-300 px-3 py-1 font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800";

/** Real links (open in a new tab, copy) that switch pages in place on a plain click. */
export function Pagination({
  page,
  pageSize,
  total,
  hrefForPage,
  onPage,
}: {
  page: number;
  pageSize: number;
  total: number;
  hrefForPage: (page: number) => string;
  onPage: (page: number) => void;
}) {
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);

  const follow = (target: number) => (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.button !== 0) return;
    event.preventDefault();
    onPage(target);
    window.scrollTo({ top: 0 });
  };

  return (
    <nav aria-label="Pagination" className="flex flex-wrap items-center justify-between gap-3 text-sm">
      <p className="tabular-nums">
        {first}–{last} of {total} · page {page} of {pageCount}
      </p>
      <div className="flex gap-2">
        {page > 1 ? (
          <a href={hrefForPage(page - 1)} onClick={follow(page - 1)} className={linkClass} rel="prev">
            ← Previous
          </a>
        ) : null}
        {page < pageCount ? (
          <a href={hrefForPage(page + 1)} onClick={follow(page + 1)} className={linkClass} rel="next">
            Next →
          </a>
        ) : null}
      </div>
    </nav>
  );
}
