import { z } from "zod";
import { PUBLICATION_TIME_ORIGINS, VERDICT_STATUSES } from "../../core/types";

export const PackageVerdictSummary = z.object({
  mirrorId: z.string(),
  status: z.enum(VERDICT_STATUSES),
  lagSeconds: z.number().int().nullable(),
  /** Where the time the lag is measured to comes from (first_seen: our first sight); null until published or unknown. */
  lagTimeOrigin: z.enum(PUBLICATION_TIME_ORIGINS).nullable(),
  /** The mirror's time was not believed: the lag is measured to our first sight. */
  isTimeSuspect: z.boolean(),
  evidenceUrl: z.string().nullable(),
});
export type PackageVerdictSummary = z.infer<typeof PackageVerdictSummary>;

/** One build of the package an advisory shipped, for one RHEL major and stream. */
export const PackageBuild = z.object({
  nevra: z.string(),
  major: z.number().int(),
  stream: z.string(),
  minor: z.string().nullable(),
  moduleStream: z.string().nullable(),
  verdicts: z.array(PackageVerdictSummary),
});
export type PackageBuild = z.infer<typeof PackageBuild>;

export const PackageAdvisoryEntry = z.object({
  advisoryId: z.string(),
  type: z.string(),
  severity: z.string().nullable(),
  title: z.string().nullable(),
  issuedAt: z.string(),
  builds: z.array(PackageBuild),
});
export type PackageAdvisoryEntry = z.infer<typeof PackageAdvisoryEntry>;

/** One package's source history: every advisory that shipped it, newest first, across RHEL majors. */
export const PackageHistoryResponse = z.object({
  now: z.string(),
  name: z.string(),
  majors: z.array(z.number().int()),
  mirrors: z.array(z.object({ id: z.string(), name: z.string() })),
  advisories: z.array(PackageAdvisoryEntry),
});
export type PackageHistoryResponse = z.infer<typeof PackageHistoryResponse>;
