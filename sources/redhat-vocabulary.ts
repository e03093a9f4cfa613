import type { AdvisoryType, RhelStream } from "../core/types";

/** Red Hat's advisory id prefixes (CSAF and OSV alike). */
export const ADVISORY_TYPE_BY_PREFIX: Record<string, AdvisoryType> = { RHSA: "security", RHBA: "bugfix", RHEA: "enhancement" };

/** The product part of Red Hat's CPEs and OSV ecosystems (`enterprise_linux`, `rhel_eus`, …) → our stream. */
export const RHEL_STREAM_BY_PRODUCT: Record<string, RhelStream> = {
  enterprise_linux: "main",
  rhel_eus: "EUS",
  rhel_aus: "AUS",
  rhel_e4s: "E4S",
  rhel_tus: "TUS",
  rhel_els: "ELS",
};
