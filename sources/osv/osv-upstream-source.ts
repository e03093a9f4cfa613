import { z } from "zod";
import type { OsvUpstreamConfig } from "../../core/config";
import type { UpstreamAdvisory } from "../../core/types";
import type { FetchError, HttpClient } from "../http/types";
import type { RefusedLink, UpstreamSource, UpstreamSyncInput, UpstreamSyncResult } from "../source-contracts";
import { parseOsvAdvisory } from "./parse-osv-advisory";
import { mapWithConcurrency } from "../map-with-concurrency";
import { selectChangedRows } from "../select-changed-rows";
import { parseJson } from "../parse-json-body";

export const OsvFeedState = z.object({
  indexEtag: z.string().nullable().catch(null),
  indexLastModified: z.string().nullable().catch(null),
  /** ISO time: every record modified up to it is applied. */
  cursor: z.string().nullable().catch(null),
});
export type OsvFeedState = z.infer<typeof OsvFeedState>;

export const EMPTY_OSV_FEED_STATE: OsvFeedState = { indexEtag: null, indexLastModified: null, cursor: null };

export interface OsvIndexRow {
  modifiedAt: Date;
  id: string;
}

const INDEX_ROW = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)),(?:[^,/]+\/)?(RH[SBE]A-\d{4}:\d+)$/;

/** `modified_id.csv`: `<ISO modified>,<ID>` per line, newest first (an `<ecosystem>/` before the id is tolerated). */
export function parseOsvIndex(text: string): { ok: true; rows: OsvIndexRow[] } | { ok: false; message: string } {
  const rows: OsvIndexRow[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (line.trim() === "") continue;
    const match = INDEX_ROW.exec(line.trim());
    const modifiedAt = match ? new Date(match[1]) : null;
    if (!match || !modifiedAt || Number.isNaN(modifiedAt.getTime())) {
      return { ok: false, message: `line ${index + 1} (${line.length} characters) is not "<ISO time>,<advisory id>"` };
    }
    rows.push({ modifiedAt, id: match[2] });
  }
  return { ok: true, rows };
}

/** Red Hat's OSV records as the upstream: same cursor rules as the CSAF feed (a failed record holds the cursor back). */
export const osvUpstreamSource: UpstreamSource<OsvUpstreamConfig> = {
  initialState: EMPTY_OSV_FEED_STATE,
  sync: syncOsvFeed,
};

/** A stored state that does not parse means a fresh first sync, not a crash. */
export function readOsvFeedState(state: unknown): OsvFeedState {
  const parsed = OsvFeedState.safeParse(state);
  return parsed.success ? parsed.data : EMPTY_OSV_FEED_STATE;
}

type RecordFetch =
  { ok: true; advisory: UpstreamAdvisory | null; isWithdrawn: boolean; refusedUrl?: string } | { ok: false; error: FetchError };

/**
 * One poll: the index (conditional GET), then every record modified since the cursor (first sync: since `startDate`),
 * oldest first. The cursor only passes records that all succeeded; while one keeps failing the index validators are
 * not stored either, so the next poll reads the index again and retries it.
 */
export async function syncOsvFeed(input: UpstreamSyncInput<OsvUpstreamConfig>): Promise<UpstreamSyncResult> {
  const { http, upstream } = input;
  const state = readOsvFeedState(input.state);
  const report = input.onProgress ?? (() => {});
  const cursorMs = state.cursor === null ? null : Date.parse(state.cursor);
  const startMs = Date.parse(`${upstream.startDate}T00:00:00Z`);

  report({ step: "fetching the OSV index", done: 0, total: 1 });
  const index = await http.get(upstream.indexUrl, {
    etag: state.indexEtag,
    lastModified: state.indexLastModified,
    accept: "text/csv, text/plain;q=0.9, */*;q=0.1",
    maxBytes: upstream.maxResponseBytes,
  });
  if (!index.ok) return { ok: false, error: index.error, state };
  report({ step: "fetching the OSV index", done: 1, total: 1 });
  if (index.status === 304) return { ok: true, notModified: true, advisories: [], deletedIds: [], state, failures: [] };
  const parsedIndex = parseOsvIndex((index.body ?? Buffer.alloc(0)).toString("utf8"));
  if (!parsedIndex.ok)
    return { ok: false, error: { kind: "parse", message: parsedIndex.message, url: upstream.indexUrl, status: 200 }, state };

  const rows = selectChangedRows(parsedIndex.rows, {
    keyOf: (row) => row.id,
    timeOf: (row) => row.modifiedAt,
    afterMs: cursorMs,
    fromMs: startMs,
  });
  const outcomes: RecordFetch[] = new Array(rows.length);
  let done = 0;
  report({ step: "fetching advisories", done, total: rows.length });
  await mapWithConcurrency(rows, upstream.concurrency, async (row, position) => {
    outcomes[position] = await fetchRecord(http, upstream, row.id);
    report({ step: "fetching advisories", done: ++done, total: rows.length });
  });

  const advisories: UpstreamAdvisory[] = [];
  const deletedIds: string[] = [];
  const failures: Array<{ path: string; error: FetchError }> = [];
  const refusedLinks: RefusedLink[] = [];
  let firstFailureMs = Infinity;
  rows.forEach((row, position) => {
    const outcome = outcomes[position];
    if (!outcome.ok) {
      failures.push({ path: `${row.id}.json`, error: outcome.error });
      firstFailureMs = Math.min(firstFailureMs, row.modifiedAt.getTime());
    } else if (outcome.isWithdrawn) deletedIds.push(row.id);
    else if (outcome.advisory && outcome.advisory.issuedAt.getTime() >= startMs) {
      advisories.push(outcome.advisory);
      if (outcome.refusedUrl !== undefined) refusedLinks.push({ item: outcome.advisory.id, url: outcome.refusedUrl });
    }
  });
  const appliedRows = rows.filter((row) => row.modifiedAt.getTime() < firstFailureMs);
  const isClean = failures.length === 0;
  return {
    ok: true,
    notModified: false,
    advisories,
    deletedIds,
    failures,
    refusedLinks,
    state: {
      indexEtag: isClean ? index.etag : state.indexEtag,
      indexLastModified: isClean ? index.lastModified : state.indexLastModified,
      cursor: appliedRows.length ? appliedRows[appliedRows.length - 1].modifiedAt.toISOString() : state.cursor,
    } satisfies OsvFeedState,
  };
}

async function fetchRecord(http: HttpClient, upstream: OsvUpstreamConfig, id: string): Promise<RecordFetch> {
  const url = `${upstream.baseUrl.replace(/\/+$/, "")}/${id}.json`;
  const response = await http.get(url, { accept: "application/json", maxBytes: upstream.maxResponseBytes });
  if (!response.ok) return response;
  const parsedJson = parseJson(response.body ?? "");
  if (!parsedJson.ok) return { ok: false, error: { ...parsedJson.error, url, status: response.status } };
  const json = parsedJson.value;
  if (typeof json === "object" && json !== null && typeof (json as { withdrawn?: unknown }).withdrawn === "string") {
    return { ok: true, advisory: null, isWithdrawn: true };
  }
  const parsed = parseOsvAdvisory(json, { majors: upstream.majors, links: upstream });
  if (!parsed.ok) return { ok: false, error: { ...parsed.error, url, status: response.status } };
  if (parsed.advisory && parsed.advisory.id !== id) {
    return {
      ok: false,
      error: { kind: "invalid_data", message: `record says ${parsed.advisory.id}, the index ${id}`, url, status: response.status },
    };
  }
  return {
    ok: true,
    advisory: parsed.advisory,
    isWithdrawn: false,
    ...(parsed.refusedUrl === undefined ? {} : { refusedUrl: parsed.refusedUrl }),
  };
}
