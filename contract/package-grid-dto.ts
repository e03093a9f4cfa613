import { z } from "zod";
import { Instant } from "./common";
import { VerdictStatus } from "./verdict-dto";

export const PACKAGE_GRID_MAX_PAGE_SIZE = 200;

/** The package × mirror grid's filters: one RHEL major, an optional name filter, n/a hidden unless asked. */
export const PackageGridQuery = z.object({
  major: z.coerce.number().int().min(1).max(99).optional().describe("RHEL major; the newest configured one when left out."),
  q: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z
      .string()
      .trim()
      .max(100)
      .regex(/^[A-Za-z0-9._+-]+$/, "a package name or part of one: letters, digits and . _ + -")
      .optional(),
  ),
  notApplicable: z
    .enum(["hide", "show"])
    .default("hide")
    .describe("hide: leave out packages no mirror carries (every verdict of theirs is not_applicable)."),
  after: z.string().max(200).optional().describe("Keyset: the last package name of the previous page."),
  pageSize: z.coerce.number().int().min(1).max(PACKAGE_GRID_MAX_PAGE_SIZE).default(50),
});
export type PackageGridQuery = z.infer<typeof PackageGridQuery>;

export const PackageGridCell = z.object({
  mirrorId: z.string(),
  /** The verdict of the package's newest update on this mirror; null when none is recorded. */
  verdict: VerdictStatus.nullable(),
  /** The newest build of this name and major srcwatch found on the mirror (RPM version order); null when none. */
  newestFound: z.object({ nevra: z.string(), url: z.string().nullable() }).nullable(),
});
export type PackageGridCell = z.infer<typeof PackageGridCell>;

export const PackageGridRow = z.object({
  name: z.string(),
  /** The newest update of the package for the major: its advisory and build. */
  newest: z.object({ advisoryId: z.string(), issuedAt: Instant, severity: z.string().nullable(), nevra: z.string() }),
  /** One per mirror of `mirrors`, in that order. */
  cells: z.array(PackageGridCell),
});
export type PackageGridRow = z.infer<typeof PackageGridRow>;

export const PackageGridResponse = z
  .object({
    now: Instant,
    major: z.number().int(),
    majors: z.array(z.number().int()).describe("Every configured major, for the switch."),
    /** The mirrors that carry the major, in configuration order. */
    mirrors: z.array(z.object({ id: z.string(), name: z.string() })),
    notApplicable: z.enum(["hide", "show"]),
    q: z.string().nullable(),
    rows: z.array(PackageGridRow),
    /** The `after` of the next page; null on the last. */
    nextAfter: z.string().nullable(),
  })
  .describe(
    "Package × mirror (Repology style): per source package, the newest build found on each mirror and the verdict of its newest update.",
  );
export type PackageGridResponse = z.infer<typeof PackageGridResponse>;
