import type { UseQueryResult } from "@tanstack/react-query";
import { Panel } from "./ui/panel";

/** What a live view shows before it has data: loading, or the error with the server's message. */
export function QueryStatus({ query, what }: { query: Pick<UseQueryResult, "isError" | "error">; what: string }) {
  if (query.isError) {
    return (
      <Panel tone="error" role="alert" title={`Could not load ${what}`}>
        <p>{query.error instanceof Error ? query.error.message : "Unknown error"}</p>
      </Panel>
    );
  }
  return (
    <p role="status" className="text-sm text-zinc-500 dark:text-zinc-400">
      Loading {what}…
    </p>
  );
}
