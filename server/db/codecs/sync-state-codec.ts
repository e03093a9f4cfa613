import "server-only";

import { StoredJsonError } from "../../../core/stored-json";

// SourceState.syncState is the source's own business (cursors, validators): stored as JSON and handed back as
// `unknown`; each source checks it against its own schema (sources/). Here only "it is JSON" holds.
const COLUMN = "SourceState.syncState";

/** A source's state as its poll returned it (as JSON.stringify writes it: undefined fields are left out). */
export function encodeSyncState(state: unknown, sourceId?: string): string {
  const text = JSON.stringify(state) as string | undefined;
  if (text === undefined) throw new StoredJsonError(COLUMN, sourceId, "refusing to store a state JSON cannot hold");
  return text;
}

/**
 * The stored state, or null when it is not JSON: the source then starts from its initial state (a full sync)
 * rather than failing every poll on a state it can never read.
 */
export function safeDecodeSyncState(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
