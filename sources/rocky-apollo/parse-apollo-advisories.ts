import { z } from "zod";
import { formatNvr, parseNevra } from "../../core/nevra";
import type { Nevra } from "../../core/types";
import { describeIssues, parseJsonBody } from "../parse-json-body";
import { parseApolloMicroseconds } from "./apollo-microseconds";

export const ApolloPackage = z.object({
  /** `delve-0:1.25.2-1.el10_1.src.rpm` */
  nevra: z.string().min(1),
  module_name: z.string().nullish(),
  module_stream: z.string().nullish(),
  product_name: z.string().nullish(),
});
export type ApolloPackage = z.infer<typeof ApolloPackage>;

export const ApolloAffectedProduct = z.object({
  major_version: z.number().int(),
  minor_version: z.number().int().nullish(),
  arch: z.string().nullish(),
});
export type ApolloAffectedProduct = z.infer<typeof ApolloAffectedProduct>;

export const ApolloAdvisoryEntry = z.object({
  name: z.string().regex(/^[A-Z]{4}-\d{4}:\d+$/, "expected an advisory name like RLSA-2025:21816"),
  kind: z.string().nullish(),
  severity: z.string().nullish(),
  synopsis: z.string().nullish(),
  published_at: z.iso.datetime({ offset: true }).nullable(),
  affected_products: z.array(ApolloAffectedProduct),
  packages: z.array(ApolloPackage),
});
export type ApolloAdvisoryEntry = z.infer<typeof ApolloAdvisoryEntry>;

/** The page envelope is checked strictly; advisories one by one so that one odd entry does not hide the rest. */
export const ApolloAdvisoriesPage = z.object({
  advisories: z.array(z.unknown()),
  total: z.number().int().nonnegative(),
  page: z.number().int(),
  size: z.number().int(),
  links: z.object({ next: z.string().nullish() }),
  last_updated_at: z.string().nullish(),
});
export type ApolloAdvisoriesPage = z.infer<typeof ApolloAdvisoriesPage>;

export interface AdvisorySourcePackage extends Nevra {
  /** `name:stream`, e.g. "container-tools:1.0"; null when not modular. */
  moduleStream: string | null;
}

export interface RockyAdvisory {
  /** e.g. "RLSA-2025:21816" */
  name: string;
  kind: string | null;
  severity: string | null;
  /** When Apollo found the packages in Rocky's production repositories. */
  publishedAt: Date | null;
  /** The same instant to the microsecond, as Apollo keeps and filters it (apollo-microseconds.ts). */
  publishedAtMicroseconds: number | null;
  /** Rocky majors of `affected_products`, ascending. */
  majors: number[];
  /** The `.src.rpm` entries, deduplicated by NVR (Apollo repeats them once per product). */
  sourcePackages: AdvisorySourcePackage[];
}

export interface RejectedAdvisory {
  name: string | null;
  message: string;
}

export interface RockyAdvisoriesPage {
  advisories: RockyAdvisory[];
  rejected: RejectedAdvisory[];
  total: number;
  page: number;
  /** As Apollo wrote it: usually root-relative (`/api/v3/advisories/?size=1&page=2`); null on the last page. */
  nextLink: string | null;
}

export type ParseApolloAdvisoriesResult =
  { ok: true; page: RockyAdvisoriesPage } | { ok: false; error: { kind: "parse" | "invalid_data"; message: string } };

function toAdvisory(entry: ApolloAdvisoryEntry): RockyAdvisory {
  const byNvr = new Map<string, AdvisorySourcePackage>();
  for (const pkg of entry.packages) {
    const parsed = parseNevra(pkg.nevra);
    if (!parsed || parsed.arch !== "src") continue;
    const moduleStream = pkg.module_name && pkg.module_stream ? `${pkg.module_name}:${pkg.module_stream}` : null;
    const key = formatNvr(parsed);
    if (!byNvr.has(key))
      byNvr.set(key, { name: parsed.name, epoch: parsed.epoch, version: parsed.version, release: parsed.release, moduleStream });
  }
  return {
    name: entry.name,
    kind: entry.kind ?? null,
    severity: entry.severity ?? null,
    publishedAt: entry.published_at === null ? null : new Date(entry.published_at),
    publishedAtMicroseconds: entry.published_at === null ? null : parseApolloMicroseconds(entry.published_at),
    majors: [...new Set(entry.affected_products.map((product) => product.major_version))].sort((a, b) => a - b),
    sourcePackages: [...byNvr.values()],
  };
}

/** One page of `GET <apollo>/api/v3/advisories/?page=N&size=M` (newest `published_at` first). */
export function parseApolloAdvisories(body: string | Buffer): ParseApolloAdvisoriesResult {
  const envelope = parseJsonBody(body, ApolloAdvisoriesPage, "an Apollo v3 advisories page");
  if (!envelope.ok) return envelope;
  const advisories: RockyAdvisory[] = [];
  const rejected: RejectedAdvisory[] = [];
  envelope.data.advisories.forEach((item, index) => {
    const entry = ApolloAdvisoryEntry.safeParse(item);
    if (entry.success) return void advisories.push(toAdvisory(entry.data));
    const name = ApolloAdvisoryEntry.shape.name.safeParse((item as { name?: unknown })?.name).data ?? null;
    rejected.push({ name, message: `advisory #${index + 1}: ${describeIssues(entry.error)}` });
  });
  if (advisories.length === 0 && rejected.length > 0) {
    return { ok: false, error: { kind: "invalid_data", message: `no advisory has the expected shape; first: ${rejected[0].message}` } };
  }
  const { total, page, links } = envelope.data;
  return { ok: true, page: { advisories, rejected, total, page, nextLink: links.next ?? null } };
}
