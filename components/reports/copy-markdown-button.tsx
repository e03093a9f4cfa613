"use client";

import { useState } from "react";

/**
 * Copies the report as Markdown (fetched from `href`, the same document the download gives) to the clipboard, to paste
 * into a bug. Says what happened in a live region: copied (with how many updates), or why not.
 */
export function CopyMarkdownButton({ href, className }: { href: string; className: string }) {
  const [state, setState] = useState<{ kind: "idle" | "copying" | "copied" | "failed"; message: string }>({ kind: "idle", message: "" });

  async function copy() {
    setState({ kind: "copying", message: "Copying…" });
    try {
      const response = await fetch(href, { headers: { accept: "text/markdown" } });
      if (!response.ok) throw new Error(`the server answered ${response.status}`);
      const markdown = await response.text();
      await navigator.clipboard.writeText(markdown);
      const count = response.headers.get("x-total-count");
      setState({
        kind: "copied",
        message: `Copied as Markdown${count === null ? "" : ` (${count} ${count === "1" ? "update" : "updates"})`}.`,
      });
    } catch (error) {
      setState({
        kind: "failed",
        message: `Could not copy: ${error instanceof Error ? error.message : String(error)}. Download the Markdown file instead.`,
      });
    }
  }

  return (
    <>
      <button type="button" onClick={copy} disabled={state.kind === "copying"} className={className}>
        Copy as Markdown
      </button>
      <span role="status" className="text-sm">
        {state.message}
      </span>
    </>
  );
}
