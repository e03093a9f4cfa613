import "server-only";

import { chooseAdvisoryLink, DEFAULT_ADVISORY_LINKS } from "../../core/check-link";
import type { UpstreamConfig } from "../../core/config";

/** A stored advisory's link under its upstream's link policy now: rows stored before links were checked are rebuilt from the template. */
export function findAdvisoryLink(advisory: { id: string; upstreamId: string; url: string }, upstreams: readonly UpstreamConfig[]): string {
  const upstream = upstreams.find((candidate) => candidate.id === advisory.upstreamId) ?? DEFAULT_ADVISORY_LINKS;
  return chooseAdvisoryLink(advisory.id, advisory.url, upstream).url;
}
