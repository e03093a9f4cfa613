import { z } from "zod";
import { ADVISORY_TYPES, SEVERITIES, VERDICT_STATUSES, type VerdictStatus } from "../../core/types";

/** Shapes of the public JSON API (/api/v1), also what the pages render. Instants are ISO strings. */

export type SourceHealthStatus = "ok" | "failing" | "stale" | "never_polled";

export interface SourceHealth {
  status: SourceHealthStatus;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  lastErrorKind: string | null;
  lastErrorMessage: string | null;
  consecutiveFailures: number;
}

export interface SyncProgress {
  sourceId: string;
  /** e.g. "fetching advisories", "listing tags", "idle" */
  step: string;
  done: number;
  /** null when not known yet */
  total: number | null;
  isFirstSync: boolean;
  updatedAt: string;
}

export interface MirrorDto {
  id: string;
  name: string;
  kind: string;
  /** exact: carries RHEL's sources (or rebuilds); related: related builds only (CentOS Stream). */
  relation: "exact" | "related";
  majors: number[];
  streams: string[];
  expectedLagHours: number;
  missingAfterHours: number;
  staleAfterMinutes: number;
  pollIntervalSeconds: number;
  health: SourceHealth;
}

export interface UpstreamDto {
  id: string;
  name: string;
  kind: string;
  health: SourceHealth;
}

export interface MirrorsResponse {
  now: string;
  mirrors: MirrorDto[];
  upstreams: UpstreamDto[];
}

export type VerdictCounts = Record<VerdictStatus, number>;

export interface SummaryRow {
  mirrorId: string;
  mirrorName: string;
  major: number;
  counts: VerdictCounts;
  /** Median of published lags, seconds; null when nothing published. */
  medianLagSeconds: number | null;
  health: SourceHealth;
}

export interface SummaryResponse {
  now: string;
  rows: SummaryRow[];
  progress: SyncProgress[];
  advisoryCount: number;
}

/** An advisory's status on one mirror: the worst verdict among its packages there. */
export interface AdvisoryMirrorStatus {
  mirrorId: string;
  status: VerdictStatus;
  /** Largest lag among published packages, seconds. */
  lagSeconds: number | null;
}

export interface AdvisoryListItem {
  id: string;
  type: string;
  severity: string | null;
  title: string | null;
  issuedAt: string;
  url: string;
  majors: number[];
  /** NEVRA strings, e.g. "bash-0:4.4.20-4.el8_6" */
  packages: string[];
  statuses: AdvisoryMirrorStatus[];
}

export interface AdvisoryListResponse {
  now: string;
  items: AdvisoryListItem[];
  page: number;
  pageSize: number;
  total: number;
  mirrors: { id: string; name: string }[];
}

export interface EvidenceDto {
  /** tag, srpm, erratum or package: what `url` points at. */
  kind: string;
  nevra: string;
  ref: string;
  url: string;
  commitSha: string | null;
  firstSeenAt: string;
  publishedAt: string | null;
}

export interface PackageVerdictDto {
  mirrorId: string;
  mirrorName: string;
  /** related: the mirror carries related builds (CentOS Stream); published there means "related source available". */
  mirrorRelation: "exact" | "related";
  status: VerdictStatus;
  lagSeconds: number | null;
  /** When the verdict took its current status. */
  since: string;
  /** How the mirror's build compares with the package (exact, equivalent, newer, older, different_stream, epoch_mismatch) and why. */
  match: { outcome: string; reason: string } | null;
  evidence: EvidenceDto | null;
}

export interface AdvisoryPackageDto {
  nevra: string;
  name: string;
  epoch: number;
  version: string;
  release: string;
  major: number;
  stream: string;
  minor: string | null;
  moduleStream: string | null;
  verdicts: PackageVerdictDto[];
}

export interface AdvisoryDetailResponse {
  now: string;
  advisory: {
    id: string;
    type: string;
    severity: string | null;
    title: string | null;
    issuedAt: string;
    updatedAt: string;
    url: string;
    cves: string[];
  };
  packages: AdvisoryPackageDto[];
}

export interface PollRunDto {
  id: string;
  sourceId: string;
  sourceKind: "upstream" | "mirror";
  startedAt: string;
  finishedAt: string | null;
  outcome: "running" | "success" | "partial" | "failed";
  requests: number;
  notModified: number;
  bytes: number;
  items: number;
  errorKind: string | null;
  errorMessage: string | null;
}

export interface PollRunsResponse {
  now: string;
  items: PollRunDto[];
}

export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** `a,b` or repeated parameters → a list. */
const csv = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (value) => (typeof value === "string" ? value.split(",") : value),
    z.array(z.preprocess((part) => (typeof part === "string" ? part.trim() : part), item)).min(1),
  );

export const ADVISORY_SORTS = ["issuedAt", "id"] as const;

/** Filters of the updates list, from a URL query string (API and page share it). */
export const AdvisoryListQuery = z.object({
  verdict: csv(z.enum(VERDICT_STATUSES)).optional(),
  mirror: csv(z.string().min(1)).optional(),
  major: csv(z.coerce.number().int().min(1).max(99)).optional(),
  severity: csv(z.enum(SEVERITIES)).optional(),
  type: csv(z.enum(ADVISORY_TYPES)).optional(),
  q: z.string().trim().max(200).optional(),
  sort: z.enum(ADVISORY_SORTS).default("issuedAt"),
  order: z.enum(["asc", "desc"]).default("desc"),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type AdvisoryListQuery = z.infer<typeof AdvisoryListQuery>;

export const PollRunsQuery = z.object({
  source: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type PollRunsQuery = z.infer<typeof PollRunsQuery>;
