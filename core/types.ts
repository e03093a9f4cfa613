/** The vocabulary of srcwatch, shared by every layer. See ARCHITECTURE.md (glossary). */

export const VERDICT_STATUSES = ["published", "pending", "delayed", "missing", "unknown", "not_applicable"] as const;
export type VerdictStatus = (typeof VERDICT_STATUSES)[number];

export const ADVISORY_TYPES = ["security", "bugfix", "enhancement"] as const;
export type AdvisoryType = (typeof ADVISORY_TYPES)[number];
/** How pages and link previews name an advisory's type. */
export const ADVISORY_TYPE_LABELS: Record<AdvisoryType, string> = {
  security: "Security advisory",
  bugfix: "Bug fix advisory",
  enhancement: "Enhancement advisory",
};

export const SEVERITIES = ["Low", "Moderate", "Important", "Critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** RHEL update streams. `main` is the ordinary z-stream of the current minor (and GA batches). */
export const RHEL_STREAMS = ["main", "EUS", "AUS", "E4S", "TUS", "ELS"] as const;
export type RhelStream = (typeof RHEL_STREAMS)[number];

export interface Nevra {
  name: string;
  /** Missing epoch = 0. */
  epoch: number;
  version: string;
  release: string;
}

/** A source package shipped by an upstream advisory, for one RHEL major and stream. */
export interface UpstreamPackage extends Nevra {
  major: number;
  stream: RhelStream;
  /** RHEL minor the variant names, e.g. "8.8" (null when the source does not say). */
  minor: string | null;
  /** `name:stream` of the module this package was built in, e.g. "ruby:3.1"; null when not modular. */
  moduleStream: string | null;
}

/** An upstream advisory as parsed from a feed, before it is stored. */
export interface UpstreamAdvisory {
  /** e.g. "RHSA-2023:3722" */
  id: string;
  type: AdvisoryType;
  severity: Severity | null;
  title: string | null;
  /** CSAF document.tracking.initial_release_date */
  issuedAt: Date;
  /** CSAF document.tracking.current_release_date */
  updatedAt: Date;
  url: string;
  cves: string[];
  packages: UpstreamPackage[];
}

/** What an evidence link points at. */
export const EVIDENCE_KINDS = ["tag", "srpm", "erratum", "package"] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** What a mirror poll found: a source package build present on the mirror, with a link to where it was seen. */
export interface Evidence extends Omit<Nevra, "epoch"> {
  /** tag (git forges), srpm (an SRPM file), erratum (a distribution's advisory), package (a yum repository entry). */
  evidenceKind: EvidenceKind;
  /** null when the mirror does not say (a git tag names only name-version-release). */
  epoch: number | null;
  major: number;
  moduleStream: string | null;
  /** Unique per mirror: "refs/tags/imports/c8/bash-4.4.20-4.el8_6", "ALSA-2023:3722/bash-4.4.20-4.el8_6", an SRPM file name… */
  ref: string;
  /** Human-followable link to the evidence (web page of the tag / commit); null when it failed the mirror's link policy. */
  url: string | null;
  commitSha: string | null;
  /** When the mirror says it published it (tag or commit time), if it says. */
  publishedAt: Date | null;
  /** Where `publishedAt` was read; null exactly when publishedAt is null (the build then has only its first-seen time). */
  publishedAtOrigin: PublicationTimeOrigin | null;
}

/** What is already stored of one piece of evidence, handed back to the next poll by ref: its time need not be looked up again. */
export interface StoredEvidence {
  commitSha: string | null;
  publishedAt: Date | null;
}

/**
 * Where a publication time comes from: the tag object's tagger date, the tagged commit's committer date, a forge's
 * API (Pagure, GitLab), the mirror's erratum date, a directory index's date column, or only our first sight of it.
 */
export const PUBLICATION_TIME_ORIGINS = ["tagger_date", "commit_date", "forge_api", "erratum_date", "index_date", "first_seen"] as const;
export type PublicationTimeOrigin = (typeof PUBLICATION_TIME_ORIGINS)[number];

/** The outcome of one fetch against a source: a value with a kind, never an exception. */
export const FETCH_ERROR_KINDS = [
  "network",
  "timeout",
  "http",
  "parse",
  "too_large",
  "rate_limited",
  "invalid_data",
  "forbidden_destination",
] as const;
export type FetchErrorKind = (typeof FETCH_ERROR_KINDS)[number];
