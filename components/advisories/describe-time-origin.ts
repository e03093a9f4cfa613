import type { PublicationTimeOrigin } from "@/core/types";

const TIME_ORIGIN_LABELS: Record<PublicationTimeOrigin, string> = {
  tagger_date: "tag date",
  commit_date: "commit date",
  forge_api: "forge API",
  erratum_date: "erratum date",
  index_date: "index date",
  first_seen: "first seen by srcwatch",
};

/** Where a time came from, in plain words: "tag date", "first seen by srcwatch"… */
export function describeTimeOrigin(origin: PublicationTimeOrigin | null): string {
  return origin === null ? "source of time unknown" : TIME_ORIGIN_LABELS[origin];
}

export const SUSPECT_TIME_NOTE = "the mirror's own time was not believable (after we first saw the build, or long before the release)";
