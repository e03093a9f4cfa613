import "server-only";

import { toSafeHref } from "../../core/check-link";
import { formatNevra } from "../../core/nevra";
import type { EvidenceDto } from "../../contract/verdict-dto";
import { readPublicationTimeOrigin } from "./read-verdict-times";

export interface EvidenceRow {
  id: number;
  kind: string;
  name: string;
  epoch: number | null;
  version: string;
  release: string;
  ref: string;
  url: string | null;
  commitSha: string | null;
  firstSeenAt: Date;
  lastAbsentAt: Date | null;
  publishedAt: Date | null;
  publishedAtOrigin: string | null;
}

export function toEvidenceDto(evidence: EvidenceRow): EvidenceDto {
  return {
    kind: evidence.kind,
    nevra: formatNevra(evidence),
    ref: evidence.ref,
    url: toSafeHref(evidence.url),
    commitSha: evidence.commitSha,
    firstSeenAt: evidence.firstSeenAt.toISOString(),
    lastAbsentAt: evidence.lastAbsentAt?.toISOString() ?? null,
    publishedAt: evidence.publishedAt?.toISOString() ?? null,
    publishedAtOrigin: evidence.publishedAt === null ? null : readPublicationTimeOrigin(evidence.publishedAtOrigin),
  };
}
