import "server-only";

import type { UpstreamConfig } from "../../core/config";
import { findAdvisoryLink } from "../advisories/find-advisory-link";
import type { AdvisoryDetailResponse, AdvisoryListItem } from "../../contract/advisory-dto";
import type { SearchAdvisoryHit } from "../../contract/search-dto";

/** What every read selects of an Advisory row to name it. */
export interface AdvisoryHeadingRow {
  id: string;
  type: string;
  severity: string | null;
  title: string | null;
  issuedAt: Date;
}

interface LinkedAdvisoryRow extends AdvisoryHeadingRow {
  upstreamId: string;
  url: string;
}

/** The fields every advisory shape starts with, in this order (the answers' bytes depend on it). */
function toAdvisoryHeading(advisory: AdvisoryHeadingRow) {
  return {
    id: advisory.id,
    type: advisory.type,
    severity: advisory.severity,
    title: advisory.title,
    issuedAt: advisory.issuedAt.toISOString(),
  };
}

/** The same heading keyed `advisoryId`, for shapes about something else (a package's history, a report row). */
export function toAdvisoryReference(advisory: AdvisoryHeadingRow) {
  const { id, ...rest } = toAdvisoryHeading(advisory);
  return { advisoryId: id, ...rest };
}

/** Advisory.cves is stored space-separated. */
function listCves(cves: string): string[] {
  return cves ? cves.split(" ") : [];
}

export function toAdvisoryDetailDto(
  advisory: LinkedAdvisoryRow & { updatedAt: Date; cves: string },
  upstreams: readonly UpstreamConfig[],
): AdvisoryDetailResponse["advisory"] {
  return {
    ...toAdvisoryHeading(advisory),
    updatedAt: advisory.updatedAt.toISOString(),
    url: findAdvisoryLink(advisory, upstreams),
    cves: listCves(advisory.cves),
  };
}

export function toAdvisoryListItem(
  advisory: LinkedAdvisoryRow,
  input: Pick<AdvisoryListItem, "majors" | "packages" | "statuses"> & { upstreams: readonly UpstreamConfig[] },
): AdvisoryListItem {
  return {
    ...toAdvisoryHeading(advisory),
    url: findAdvisoryLink(advisory, input.upstreams),
    majors: input.majors,
    packages: input.packages,
    statuses: input.statuses,
  };
}

export function toSearchAdvisoryHit(
  advisory: AdvisoryHeadingRow & { cves: string },
  matchedBy: SearchAdvisoryHit["matchedBy"],
): SearchAdvisoryHit {
  return { ...toAdvisoryHeading(advisory), matchedBy, cves: listCves(advisory.cves) };
}
