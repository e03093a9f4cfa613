const SEVERITY_STYLES: Record<string, string> = {
  Critical: "text-red-800 dark:text-red-300 font-semibold",
  Important: "text-orange-800 dark:text-orange-300 font-medium",
  Moderate: "text-amber-900 dark:text-amber-300",
  Low: "text-zinc-600 dark:text-zinc-400",
};

/** Severity (security advisories) or type (bug fix / enhancement), as words. */
export function SeverityLabel({ severity, type }: { severity: string | null; type: string }) {
  if (!severity) return <span className="text-zinc-600 dark:text-zinc-400">{type}</span>;
  return (
    <span className="whitespace-nowrap">
      <span className={SEVERITY_STYLES[severity] ?? ""}>{severity}</span>
      {type !== "security" ? <span className="text-zinc-500 dark:text-zinc-400"> · {type}</span> : null}
    </span>
  );
}
