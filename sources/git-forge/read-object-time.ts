import type { PublicationTimeOrigin } from "../../core/types";
import type { GitObject } from "./read-pack-objects";

export interface ObjectTime {
  publishedAt: Date;
  publishedAtOrigin: Extract<PublicationTimeOrigin, "tagger_date" | "commit_date">;
}

const SIGNATURE_TIME = / (\d{1,12}) ([+-])(\d{2})(\d{2})$/;

/**
 * The time a tag or commit object carries: the `tagger` line of an annotated tag, the `committer` line of a commit
 * (`tagger Name <mail> 1686700000 +0000`: unix seconds, then the writer's UTC offset, which does not move the instant).
 */
export function readObjectTime(object: GitObject): ObjectTime | null {
  const header = object.type === "tag" ? "tagger " : object.type === "commit" ? "committer " : null;
  if (!header) return null;
  const text = object.content.toString("utf8");
  const headerEnd = text.indexOf("\n\n");
  for (const line of (headerEnd === -1 ? text : text.slice(0, headerEnd)).split("\n")) {
    if (!line.startsWith(header)) continue;
    const match = SIGNATURE_TIME.exec(line);
    if (!match) return null;
    const publishedAt = new Date(Number(match[1]) * 1000);
    if (Number.isNaN(publishedAt.getTime())) return null;
    return { publishedAt, publishedAtOrigin: object.type === "tag" ? "tagger_date" : "commit_date" };
  }
  return null;
}
