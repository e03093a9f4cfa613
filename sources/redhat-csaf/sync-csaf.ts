import type { CsafArchiveConfig, CsafFeedConfig } from "../../core/config";
import { ZSTD_MAX_WINDOW_BYTES } from "../compression/zstd-window-guard";
import type { UpstreamAdvisory } from "../../core/types";
import type { FetchError, HttpClient } from "../http/types";
import { parseCsafAdvisory } from "./parse-csaf-advisory";
import { csafPathToId, parseCsafIndex, type CsafIndexRow } from "./parse-csaf-index";
import { mapWithConcurrency } from "../map-with-concurrency";
import type { RefusedLink } from "../source-contracts";
import { selectChangedRows } from "../select-changed-rows";
import { parseJson } from "../parse-json-body";
import { readCsafArchive } from "./read-csaf-archive";

export interface CsafFeedState {
  changesEtag: string | null;
  changesLastModified: string | null;
  deletionsEtag: string | null;
  deletionsLastModified: string | null;
  /** ISO time: all changes up to it are applied. */
  cursor: string | null;
}

export interface CsafSyncProgress {
  step: string;
  done: number;
  total: number | null;
}

export interface CsafSyncFailure {
  /** Relative to the feed's base URL, e.g. "2024/rhsa-2024_0010.json" or "deletions.csv". */
  path: string;
  error: FetchError;
}

export type CsafSyncResult =
  | {
      ok: true;
      notModified: boolean;
      advisories: UpstreamAdvisory[];
      deletedIds: string[];
      state: CsafFeedState;
      failures: CsafSyncFailure[];
      refusedLinks: RefusedLink[];
      notes: string[];
    }
  | { ok: false; error: FetchError; state: CsafFeedState };

export const EMPTY_CSAF_FEED_STATE: CsafFeedState = {
  changesEtag: null,
  changesLastModified: null,
  deletionsEtag: null,
  deletionsLastModified: null,
  cursor: null,
};

type IndexFetch =
  | { ok: true; notModified: true }
  | { ok: true; notModified: false; rows: CsafIndexRow[]; etag: string | null; lastModified: string | null }
  | { ok: false; error: FetchError };

function joinUrl(baseUrl: string, relativePath: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/${relativePath}`;
}

async function fetchIndex(
  http: HttpClient,
  url: string,
  validators: { etag: string | null; lastModified: string | null },
  maxBytes: number,
): Promise<IndexFetch> {
  const response = await http.get(url, { etag: validators.etag, lastModified: validators.lastModified, accept: "text/csv", maxBytes });
  if (!response.ok) return response;
  if (response.status === 304) return { ok: true, notModified: true };
  const parsed = parseCsafIndex((response.body ?? Buffer.alloc(0)).toString("utf8"));
  if (!parsed.ok) return { ok: false, error: { kind: "parse", message: parsed.error.message, url, status: response.status } };
  return { ok: true, notModified: false, rows: parsed.rows, etag: response.etag, lastModified: response.lastModified };
}

type AdvisoryFetch = { ok: true; advisory: UpstreamAdvisory | null; refusedUrl?: string } | { ok: false; error: FetchError };

async function fetchAdvisory(http: HttpClient, feed: CsafFeedConfig, url: string): Promise<AdvisoryFetch> {
  const response = await http.get(url, { accept: "application/json", maxBytes: feed.maxResponseBytes });
  if (!response.ok) return response;
  return parseAdvisoryDocument(feed, url, response.body ?? "", response.status);
}

function parseAdvisoryDocument(feed: CsafFeedConfig, url: string, body: Buffer | string, status?: number): AdvisoryFetch {
  const parsedJson = parseJson(body);
  if (!parsedJson.ok) return { ok: false, error: { ...parsedJson.error, url, status } };
  const parsed = parseCsafAdvisory(parsedJson.value, { majors: feed.majors, links: feed });
  if (!parsed.ok) return { ok: false, error: { ...parsed.error, url, status } };
  return parsed;
}

/** `csaf_advisories_2024-08-11.tar.zst`: the only shape of name followed, since it becomes part of a URL. */
const ARCHIVE_NAME = /^csaf_advisories_(\d{4}-\d{2}-\d{2})\.tar\.zst$/;
/**
 * The archive is named after its day, but when that day's changes made it in is not said: rows of changes.csv from
 * the day before its date on are fetched one by one (a day's worth of documents, against every one of them).
 */
const ARCHIVE_OVERLAP_MS = 24 * 3_600_000;
const ARCHIVE_PROGRESS_EVERY = 200;

type ArchiveRead =
  | {
      ok: true;
      name: string;
      /** Every change before this is in the archive. */
      coversBeforeMs: number;
      /** Documents read well from the archive, by path: the advisory, or null when it is not one to keep. */
      documents: Map<string, { advisory: UpstreamAdvisory; refusedUrl?: string } | null>;
    }
  | { ok: false; problem: string };

/**
 * The archive named by archive_latest.txt, read as it downloads. A document the archive holds but that does not parse
 * or is over the size cap is left out of `documents`, so that it is fetched on its own and reported as that fetch goes.
 */
async function readArchive(
  http: HttpClient,
  feed: CsafFeedConfig,
  archive: CsafArchiveConfig,
  startMs: number,
  report: (progress: CsafSyncProgress) => void,
): Promise<ArchiveRead> {
  const latest = await http.get(joinUrl(feed.baseUrl, "archive_latest.txt"), { accept: "text/plain", maxBytes: 1024 });
  if (!latest.ok) return { ok: false, problem: `archive_latest.txt: ${latest.error.message}` };
  const name = (latest.body ?? Buffer.alloc(0)).toString("utf8").trim();
  const match = ARCHIVE_NAME.exec(name);
  const dayMs = match ? Date.parse(`${match[1]}T00:00:00Z`) : Number.NaN;
  if (!match || Number.isNaN(dayMs)) return { ok: false, problem: "archive_latest.txt does not name a csaf_advisories_<date>.tar.zst" };
  const step = `reading ${name}`;
  report({ step, done: 0, total: null });
  const documents = new Map<string, { advisory: UpstreamAdvisory; refusedUrl?: string } | null>();
  const read = await http.stream(
    joinUrl(feed.baseUrl, name),
    { accept: "application/zstd", maxBytes: archive.maxBytes, timeoutMs: archive.timeoutMs },
    (body) => {
      documents.clear(); // a retry reads the archive again from its start
      const limits = {
        maxEntryBytes: feed.maxResponseBytes,
        maxUnpackedBytes: archive.maxUnpackedBytes,
        maxWindowBytes: ZSTD_MAX_WINDOW_BYTES,
      };
      return readCsafArchive(body, limits, (path, bytes) => {
        const outcome = parseAdvisoryDocument(feed, joinUrl(feed.baseUrl, path), bytes);
        if (!outcome.ok) return;
        const isKept = outcome.advisory !== null && outcome.advisory.issuedAt.getTime() >= startMs;
        documents.set(path, isKept ? { advisory: outcome.advisory!, refusedUrl: outcome.refusedUrl } : null);
        if (documents.size % ARCHIVE_PROGRESS_EVERY === 0) report({ step, done: documents.size, total: null });
      });
    },
  );
  if (!read.ok) return { ok: false, problem: `${name}: ${read.error.message}` };
  if (!read.value.ok) return { ok: false, problem: read.value.error.message };
  report({ step, done: documents.size, total: documents.size });
  return { ok: true, name, coversBeforeMs: dayMs - ARCHIVE_OVERLAP_MS, documents };
}

/**
 * One poll of a CSAF feed: changes.csv (conditional GET), every advisory changed since the cursor, then deletions.csv.
 * The cursor only passes rows that all succeeded; while an item keeps failing, changes.csv validators are not stored
 * either, so the next poll reads the index again and retries it. If deletions.csv fails, nothing of the state moves.
 */
export async function syncCsafFeed(input: {
  http: HttpClient;
  feed: CsafFeedConfig;
  state: CsafFeedState;
  onProgress?: (progress: CsafSyncProgress) => void;
}): Promise<CsafSyncResult> {
  const { http, feed, state } = input;
  const report = input.onProgress ?? (() => {});
  const cursorMs = state.cursor === null ? null : Date.parse(state.cursor);
  const startMs = Date.parse(`${feed.startDate}T00:00:00Z`);

  report({ step: "fetching changes.csv", done: 0, total: 1 });
  const changes = await fetchIndex(
    http,
    joinUrl(feed.baseUrl, "changes.csv"),
    { etag: state.changesEtag, lastModified: state.changesLastModified },
    feed.maxResponseBytes,
  );
  if (!changes.ok) return { ok: false, error: changes.error, state };
  report({ step: "fetching changes.csv", done: 1, total: 1 });

  const changedRows = changes.notModified
    ? []
    : selectChangedRows(changes.rows, { keyOf: (row) => row.path, timeOf: (row) => row.changedAt, afterMs: cursorMs, fromMs: startMs });
  const notes: string[] = [];
  let archive: ArchiveRead | null = null;
  if (cursorMs === null && feed.archive !== null && changedRows.length >= feed.archive.minDocuments) {
    archive = await readArchive(http, feed, feed.archive, startMs, report);
    notes.push(
      archive.ok
        ? `first sync from ${archive.name}: ${archive.documents.size} documents read from it`
        : `first sync without the archive (${archive.problem}): ${changedRows.length} documents fetched one by one`,
    );
  }
  const fromArchive = archive?.ok ? archive : null;
  // What the archive holds as of its day is not fetched again; what changed since, or what it lacks, is.
  const isInArchive = (row: CsafIndexRow) =>
    fromArchive !== null && row.changedAt.getTime() < fromArchive.coversBeforeMs && fromArchive.documents.has(row.path);
  const rows = changedRows.filter((row) => !isInArchive(row));
  const outcomes: AdvisoryFetch[] = new Array(rows.length);
  let done = 0;
  report({ step: "fetching advisories", done, total: rows.length });
  await mapWithConcurrency(rows, feed.concurrency, async (row, index) => {
    outcomes[index] = await fetchAdvisory(http, feed, joinUrl(feed.baseUrl, row.path));
    report({ step: "fetching advisories", done: ++done, total: rows.length });
  });

  const advisories: UpstreamAdvisory[] = [];
  const failures: CsafSyncFailure[] = [];
  const refusedLinks: RefusedLink[] = [];
  for (const row of changedRows) {
    const kept = isInArchive(row) ? fromArchive!.documents.get(row.path) : null;
    if (!kept) continue;
    advisories.push(kept.advisory);
    if (kept.refusedUrl !== undefined) refusedLinks.push({ item: kept.advisory.id, url: kept.refusedUrl });
  }
  let firstFailureMs = Infinity;
  rows.forEach((row, index) => {
    const outcome = outcomes[index];
    if (!outcome.ok) {
      failures.push({ path: row.path, error: outcome.error });
      firstFailureMs = Math.min(firstFailureMs, row.changedAt.getTime());
    } else if (outcome.advisory && outcome.advisory.issuedAt.getTime() >= startMs) {
      advisories.push(outcome.advisory);
      if (outcome.refusedUrl !== undefined) refusedLinks.push({ item: outcome.advisory.id, url: outcome.refusedUrl });
    }
  });
  // Rows read from the archive count as applied as much as rows fetched.
  const appliedRows = changedRows.filter((row) => row.changedAt.getTime() < firstFailureMs);
  const newCursor = appliedRows.length ? appliedRows[appliedRows.length - 1].changedAt.toISOString() : state.cursor;

  report({ step: "fetching deletions.csv", done: 0, total: 1 });
  const deletions = await fetchIndex(
    http,
    joinUrl(feed.baseUrl, "deletions.csv"),
    { etag: state.deletionsEtag, lastModified: state.deletionsLastModified },
    feed.maxResponseBytes,
  );
  if (!deletions.ok) {
    failures.push({ path: "deletions.csv", error: deletions.error });
    return { ok: true, notModified: false, advisories, deletedIds: [], state, failures, refusedLinks, notes };
  }
  report({ step: "fetching deletions.csv", done: 1, total: 1 });

  const deletedIds = deletions.notModified
    ? []
    : [
        ...new Set(
          deletions.rows
            .filter((row) => cursorMs === null || row.changedAt.getTime() > cursorMs)
            .map((row) => csafPathToId(row.path))
            .filter((id): id is string => id !== null),
        ),
      ];

  const shouldStoreChangesValidators = !changes.notModified && failures.length === 0;
  return {
    ok: true,
    notModified: changes.notModified && deletions.notModified,
    advisories,
    deletedIds,
    failures,
    refusedLinks,
    notes,
    state: {
      changesEtag: shouldStoreChangesValidators ? changes.etag : state.changesEtag,
      changesLastModified: shouldStoreChangesValidators ? changes.lastModified : state.changesLastModified,
      deletionsEtag: deletions.notModified ? state.deletionsEtag : deletions.etag,
      deletionsLastModified: deletions.notModified ? state.deletionsLastModified : deletions.lastModified,
      cursor: newCursor,
    },
  };
}
