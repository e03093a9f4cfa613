import type { CsafFeedConfig } from "../../core/config";
import type { UpstreamAdvisory } from "../../core/types";
import type { FetchError, HttpClient } from "../http/types";
import { parseCsafAdvisory } from "./parse-csaf-advisory";
import { csafPathToId, parseCsafIndex, type CsafIndexRow } from "./parse-csaf-index";
import { mapWithConcurrency } from "../map-with-concurrency";
import type { RefusedLink } from "../source-contracts";
import { selectChangedRows } from "../select-changed-rows";
import { parseJson } from "../parse-json-body";

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
  const parsedJson = parseJson(response.body ?? "");
  if (!parsedJson.ok) return { ok: false, error: { ...parsedJson.error, url, status: response.status } };
  const json = parsedJson.value;
  const parsed = parseCsafAdvisory(json, { majors: feed.majors, links: feed });
  if (!parsed.ok) return { ok: false, error: { ...parsed.error, url, status: response.status } };
  return parsed;
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

  const rows = changes.notModified
    ? []
    : selectChangedRows(changes.rows, { keyOf: (row) => row.path, timeOf: (row) => row.changedAt, afterMs: cursorMs, fromMs: startMs });
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
  const appliedRows = rows.filter((row) => row.changedAt.getTime() < firstFailureMs);
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
    return { ok: true, notModified: false, advisories, deletedIds: [], state, failures, refusedLinks };
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
    state: {
      changesEtag: shouldStoreChangesValidators ? changes.etag : state.changesEtag,
      changesLastModified: shouldStoreChangesValidators ? changes.lastModified : state.changesLastModified,
      deletionsEtag: deletions.notModified ? state.deletionsEtag : deletions.etag,
      deletionsLastModified: deletions.notModified ? state.deletionsLastModified : deletions.lastModified,
      cursor: newCursor,
    },
  };
}
