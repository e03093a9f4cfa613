export const fieldsetClass = "min-w-0 rounded-md border border-zinc-200 px-3 pb-3 pt-1 dark:border-zinc-800";
export const legendClass = "px-1 text-sm font-semibold";
export const hintClass = "text-xs text-zinc-600 dark:text-zinc-400";
export const errorTextClass = "text-sm font-medium text-red-700 dark:text-red-300";
export const inputClass =
  "w-full rounded border border-zinc-400 bg-white px-2 py-1.5 text-sm aria-[invalid=true]:border-red-600 dark:border-zinc-600 dark:bg-zinc-900 dark:aria-[invalid=true]:border-red-400";
export const primaryButtonClass =
  "rounded bg-sky-700 px-4 py-2 text-sm font-medium text-white hover:bg-sky-800 disabled:opacity-60 dark:bg-sky-700 dark:hover:bg-sky-600";
export const dangerButtonClass =
  "rounded border border-red-700 px-4 py-2 text-sm font-medium text-red-800 hover:bg-red-50 disabled:opacity-60 dark:border-red-400 dark:text-red-200 dark:hover:bg-red-950";
