export function PageSkeleton() {
  return (
    <div role="status" className="space-y-3" aria-label="Loading">
      <div className="h-7 w-64 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
      <div className="h-40 animate-pulse rounded bg-zinc-100 dark:bg-zinc-900" />
      <span className="sr-only">Loading…</span>
    </div>
  );
}
