"use client";

import { useEffect } from "react";

export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  const digest = error instanceof Error && "digest" in error ? String((error as { digest?: string }).digest ?? "") : "";

  return (
    <div role="alert" className="space-y-3">
      <h1 className="text-2xl font-semibold tracking-tight">Something went wrong</h1>
      <p>srcwatch could not load this page. The database may be busy or still being prepared; trying again often helps.</p>
      {digest ? <p className="text-sm text-zinc-600 dark:text-zinc-400">Reference for the server logs: {digest}</p> : null}
      <button
        type="button"
        onClick={() => retry()}
        className="rounded border border-zinc-300 px-3 py-1 font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
      >
        Try again
      </button>
    </div>
  );
}
