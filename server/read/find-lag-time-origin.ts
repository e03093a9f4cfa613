import { PUBLICATION_TIME_ORIGINS, type PublicationTimeOrigin } from "../../core/types";

type MirrorTimeOrigin = Exclude<PublicationTimeOrigin, "first_seen">;

/** A stored origin as the API names it; anything else (a time stored before origins were kept) is unknown. */
export function readPublicationTimeOrigin(stored: string | null): MirrorTimeOrigin | null {
  const origin = PUBLICATION_TIME_ORIGINS.find((candidate) => candidate === stored);
  return origin === undefined || origin === "first_seen" ? null : origin;
}

/**
 * Where the time a published verdict's lag is measured to comes from: the lag build's own origin, or first_seen
 * when the mirror gave no time or one not believed (core/compute-verdict.ts choosePublicationTime).
 */
export function findLagTimeOrigin(
  verdict: { status: string; isTimeSuspect: boolean },
  lagBuild: { publishedAt: Date | null; publishedAtOrigin: string | null } | null,
): PublicationTimeOrigin | null {
  if (verdict.status !== "published" || lagBuild === null) return null;
  if (lagBuild.publishedAt === null || verdict.isTimeSuspect) return "first_seen";
  return readPublicationTimeOrigin(lagBuild.publishedAtOrigin);
}
