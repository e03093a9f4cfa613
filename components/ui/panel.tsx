import type { ReactNode } from "react";

const TONES = {
  info: "border-sky-300 bg-sky-50 text-sky-950 dark:border-sky-800 dark:bg-sky-950/50 dark:text-sky-100",
  warning: "border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-100",
  error: "border-red-300 bg-red-50 text-red-950 dark:border-red-800 dark:bg-red-950/50 dark:text-red-100",
  neutral: "border-zinc-200 bg-zinc-50 text-zinc-900 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100",
} as const;

/** A bordered message box; `role` is "status" for live progress, "alert" for problems that need attention. */
export function Panel({
  tone = "neutral",
  title,
  role,
  children,
}: {
  tone?: keyof typeof TONES;
  title?: ReactNode;
  role?: "status" | "alert";
  children?: ReactNode;
}) {
  return (
    <div role={role} className={`rounded-md border px-4 py-3 text-sm [overflow-wrap:anywhere] ${TONES[tone]}`}>
      {title ? <p className="font-semibold">{title}</p> : null}
      {children ? <div className={title ? "mt-1 space-y-1" : "space-y-1"}>{children}</div> : null}
    </div>
  );
}
