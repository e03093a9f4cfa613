import type { PollRunDto } from "@/contract/poll-run-dto";

/** A poll run's last cell: what went wrong (its kind, then its message), and what the poll says of how it went. */
export function PollRunRemarks({ run }: { run: Pick<PollRunDto, "errorKind" | "errorMessage" | "notes"> }) {
  if (!run.errorKind && !run.errorMessage && run.notes.length === 0) return "—";
  return (
    <>
      {run.errorKind ? <span className="font-medium">{run.errorKind}</span> : null}
      {run.errorMessage ? <span className="block break-words text-xs text-zinc-600 dark:text-zinc-400">{run.errorMessage}</span> : null}
      {run.notes.length > 0 ? (
        <ul aria-label="Notes" className="mt-0.5 space-y-0.5 text-xs text-zinc-600 dark:text-zinc-400">
          {run.notes.map((note, index) => (
            <li key={index} className="break-words">
              {note}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
