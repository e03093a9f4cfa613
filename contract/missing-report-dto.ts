import { z } from "zod";
import { ADVISORY_TYPES, SEVERITIES } from "../core/types";
import { LAG_TIME_ORIGINS } from "../core/compute-verdict";
import { OVERDUE_UPDATE_STATUSES } from "../core/update/fold-update";
import { csv } from "./common";

/** `a,b` or repeated parameters → a list; an empty form field counts as absent. */
const optionalList = <T extends z.ZodType>(item: T) => z.preprocess((value) => (value === "" ? undefined : value), csv(item).optional());
const optionalDay = z.preprocess((value) => (value === "" ? undefined : value), z.iso.date().optional());

/** A report row is an advisory × mirror with an overdue Update there. */
export const MISSING_REPORT_STATUSES = OVERDUE_UPDATE_STATUSES;

/** What the report covers; `from` and `to` are days (UTC, inclusive) of the advisory's issuedAt. */
export const MissingReportFilters = z.object({
  mirror: optionalList(z.string().min(1)),
  major: optionalList(z.coerce.number().int().min(1).max(99)),
  from: optionalDay,
  to: optionalDay,
  severity: optionalList(z.enum(SEVERITIES)),
  type: optionalList(z.enum(ADVISORY_TYPES)),
});
export type MissingReportFilters = z.infer<typeof MissingReportFilters>;

export const MISSING_REPORT_MAX_PAGE_SIZE = 5000;

export const MissingReportQuery = MissingReportFilters.extend({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(MISSING_REPORT_MAX_PAGE_SIZE).default(200),
});
export type MissingReportQuery = z.infer<typeof MissingReportQuery>;

/** Another mirror where the row's packages are published: its name and a link to the proof. */
export const AvailableSource = z.object({
  mirrorId: z.string(),
  mirrorName: z.string(),
  relation: z.enum(["exact", "related"]),
  /** How many of the row's packages this mirror has (of `packages.length`). */
  publishedPackages: z.number().int(),
  evidenceUrl: z.string(),
  /**
   * The slowest of those packages' stored lags there, seconds; null when one of them was published before tracking (there
   * when srcwatch first looked: no lag).
   */
  lagSeconds: z.number().int().nullable(),
  /** Where that lag's time comes from: the mirror's own (tagger_date … index_date, mirror), first_seen (an upper bound) or before_tracking. */
  lagTimeOrigin: z.enum(LAG_TIME_ORIGINS).nullable(),
  /** first_seen only: the window the build appeared in (first sight minus the poll before that did not find it), seconds. */
  lagPrecisionSeconds: z.number().int().min(0).nullable(),
});
export type AvailableSource = z.infer<typeof AvailableSource>;

/** One delayed or missing package of a row, as a bug report quotes it: what should be there, where we looked, what is there. */
export const MissingPackageCheck = z.object({
  /** The package's NEVRA. */
  package: z.string(),
  /** Its name: what the mirror is asked about. */
  name: z.string(),
  major: z.number().int(),
  /** What the mirror should show: "tag imports/c8/kernel-4.18.0-477.15.1.el8_8", "file ….src.rpm", "an erratum listing …". */
  expected: z.string(),
  /** The repository, index or feed srcwatch asks for it. */
  checkedUrl: z.string(),
  /** When srcwatch last asked the mirror about this package name (or read its whole listing); null when never. */
  lastCheckedAt: z.string().nullable(),
  /** The newest build of this name and major srcwatch found on the mirror, by RPM version order; null when none. */
  newestFound: z.object({ nevra: z.string(), url: z.string().nullable() }).nullable(),
});
export type MissingPackageCheck = z.infer<typeof MissingPackageCheck>;

/** One advisory × mirror whose packages are delayed or missing there. */
export const MissingReportRow = z.object({
  advisoryId: z.string(),
  type: z.string(),
  severity: z.string().nullable(),
  title: z.string().nullable(),
  issuedAt: z.string(),
  /** now − issuedAt, seconds. */
  ageSeconds: z.number().int(),
  mirrorId: z.string(),
  mirrorName: z.string(),
  /** The worst verdict among the packages: missing before delayed. */
  status: z.enum(MISSING_REPORT_STATUSES),
  /** When the earliest of these verdicts took its status. */
  since: z.string(),
  majors: z.array(z.number().int()),
  /** NEVRAs delayed or missing on this mirror. */
  packages: z.array(z.string()),
  /** Per package of `packages`, in the same order: what should be there, where srcwatch looked, when, and what it found. */
  checks: z.array(MissingPackageCheck),
  availableFrom: z.array(AvailableSource),
});
export type MissingReportRow = z.infer<typeof MissingReportRow>;

export const MissingReportResponse = z.object({
  now: z.string(),
  filters: MissingReportFilters,
  /** Rows in scope over all pages. */
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  rows: z.array(MissingReportRow),
});
export type MissingReportResponse = z.infer<typeof MissingReportResponse>;

export const MissingReportCsv = z
  .string()
  .describe("RFC 4180 CSV with a header row and the report's columns; cells that a spreadsheet would run as a formula start with '.");

export const MissingReportMarkdown = z
  .string()
  .describe("GitHub-flavoured Markdown: a heading, a table with one line per delayed or missing package, and the row count.");
