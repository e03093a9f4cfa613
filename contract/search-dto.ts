import { z } from "zod";

export const SearchQuery = z.object({
  q: z.string().trim().min(1).max(200),
});
export type SearchQuery = z.infer<typeof SearchQuery>;

export const SEARCH_MATCH_KINDS = ["advisory", "advisory_number", "cve", "nevra", "text"] as const;

export const SearchAdvisoryHit = z.object({
  id: z.string(),
  type: z.string(),
  severity: z.string().nullable(),
  title: z.string().nullable(),
  issuedAt: z.string(),
  /** What matched: the id, or one of its CVEs. */
  matchedBy: z.enum(["id", "cve"]),
  cves: z.array(z.string()),
});
export type SearchAdvisoryHit = z.infer<typeof SearchAdvisoryHit>;

export const SearchPackageHit = z.object({
  name: z.string(),
  advisoryCount: z.number().int(),
  majors: z.array(z.number().int()),
});
export type SearchPackageHit = z.infer<typeof SearchPackageHit>;

export const SearchNevraHit = z.object({
  nevra: z.string(),
  name: z.string(),
  major: z.number().int(),
  stream: z.string(),
  advisoryId: z.string(),
  issuedAt: z.string(),
});
export type SearchNevraHit = z.infer<typeof SearchNevraHit>;

export const SearchResponse = z.object({
  now: z.string(),
  q: z.string(),
  /** How the text was read. */
  matchKind: z.enum(SEARCH_MATCH_KINDS),
  advisories: z.array(SearchAdvisoryHit),
  packages: z.array(SearchPackageHit),
  nevras: z.array(SearchNevraHit),
  /** Set when the text names exactly one advisory (by id or CVE): pages go straight to it. */
  exactAdvisoryId: z.string().nullable(),
});
export type SearchResponse = z.infer<typeof SearchResponse>;
