import Link from "next/link";
import type { ReactNode } from "react";
import { Panel } from "./panel";

/** A page whose query string did not parse: its heading, what was wrong, and a way back to the unfiltered page. */
export function InvalidFilters({
  heading,
  message,
  resetHref,
  resetLabel,
}: {
  heading: ReactNode;
  message: string;
  resetHref: string;
  resetLabel: string;
}) {
  return (
    <div className="space-y-4">
      {heading}
      <Panel tone="error" role="alert" title="These filters are not valid">
        <p>{message}</p>
        <p>
          <Link href={resetHref} className="underline">
            {resetLabel}
          </Link>
        </p>
      </Panel>
    </div>
  );
}
