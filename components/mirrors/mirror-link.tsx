import Link from "next/link";
import type { ReactNode } from "react";

export function mirrorPath(mirrorId: string): string {
  return `/mirrors/${encodeURIComponent(mirrorId)}`;
}

/** A mirror's name leading to its page (health, publish rate, lag, poll history). */
export function MirrorLink({ mirrorId, children }: { mirrorId: string; children: ReactNode }) {
  return (
    <Link href={mirrorPath(mirrorId)} className="text-sky-700 underline hover:text-sky-900 dark:text-sky-400 dark:hover:text-sky-300">
      {children}
    </Link>
  );
}
