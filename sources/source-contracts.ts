import type { MirrorConfig, UpstreamConfig } from "../core/config";
import type { Evidence, StoredEvidence, UpstreamAdvisory } from "../core/types";
import type { FetchError, HttpClient } from "./http/types";

export interface SourceProgress {
  step: string;
  done: number;
  total: number | null;
}

/** A link from upstream data that failed the link policy (core/check-link.ts): replaced by a built one or dropped, and logged by the worker. */
export interface RefusedLink {
  /** The advisory id or evidence ref it belonged to. */
  item: string;
  url: string;
}

// ---------- upstream feeds: what RHEL released ----------

export interface UpstreamSyncInput<C extends UpstreamConfig> {
  http: HttpClient;
  upstream: C;
  /** The feed's incremental state from its last poll (JSON), or the source's `initialState`. */
  state: unknown;
  onProgress?: (progress: SourceProgress) => void;
  /** Aborted when the poll's deadline passes (the worker always passes one): long loops stop at their next step. */
  signal?: AbortSignal;
}

export type UpstreamSyncResult =
  | {
      ok: true;
      notModified: boolean;
      advisories: UpstreamAdvisory[];
      deletedIds: string[];
      /** Stored as is and handed back at the next poll. */
      state: unknown;
      /** Items that could not be used (the poll is then partial); they are retried next time. */
      failures: Array<{ path: string; error: FetchError }>;
      refusedLinks?: RefusedLink[];
      /** What the poll did that an operator may want to know (e.g. a first sync read from an archive), logged by the worker. */
      notes?: string[];
    }
  | { ok: false; error: FetchError; state: unknown };

export interface UpstreamSource<C extends UpstreamConfig> {
  initialState: unknown;
  sync(input: UpstreamSyncInput<C>): Promise<UpstreamSyncResult>;
}

// ---------- mirrors: where the sources should appear ----------

export interface MirrorPollInput<C extends MirrorConfig> {
  http: HttpClient;
  mirror: C;
  /**
   * Source package names whose verdicts on this mirror are still open, with their RHEL majors.
   * `open-packages` sources look up exactly these (never a crawl of every repository).
   */
  openPackages: ReadonlyMap<string, ReadonlySet<number>>;
  /** Evidence already stored for this mirror, by ref: time lookups can be skipped for these. */
  storedEvidence: ReadonlyMap<string, StoredEvidence>;
  /** The mirror's incremental state from its last poll (JSON), or the source's `initialState`. */
  state: unknown;
  onProgress?: (progress: SourceProgress) => void;
  /** Aborted when the poll's deadline passes (the worker always passes one): long loops stop at their next step. */
  signal?: AbortSignal;
}

export type MirrorPollResult =
  | {
      ok: true;
      /** Builds found. `listing` sources return every build of the listing (or none when it did not change). */
      builds: Evidence[];
      state: unknown;
      /** Items that could not be looked up (the poll is then partial). */
      failures: Array<{ item: string; error: FetchError }>;
    }
  | { ok: false; error: FetchError };

export interface MirrorSource<C extends MirrorConfig> {
  /**
   * open-packages: looks up each open package (git forges, GitLab);
   * listing: reads the mirror's whole listing (errata, repositories, SRPM indexes), conditionally.
   */
  scope: "open-packages" | "listing";
  /** The mirror's own configured URLs and templates: evidence links must stay on their hosts (core/check-link.ts). */
  listLinkUrls(mirror: C): string[];
  initialState: unknown;
  poll(input: MirrorPollInput<C>): Promise<MirrorPollResult>;
}
