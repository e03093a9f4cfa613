import Link from "next/link";
import type { ReactNode } from "react";

export function mirrorPath(mirrorId: string): string {
  return `/mirrors/${encodeURIComponent(mirrorId)}`;
}

/** A mirror's name leading to its page (health, publish rate, lag, poll history). */
export function MirrorLink({ mirrorId, children }: { mirrorId: string; children: ReactNode }) {
  return (
    <Link href={mirrorPath(mirrorId)} className="text-link">
      {children}
    </Link>
  );
}
