import { z } from "zod";
import type { CsafFeedConfig } from "../../core/config";
import type { UpstreamSource } from "../source-contracts";
import { EMPTY_CSAF_FEED_STATE, syncCsafFeed, type CsafFeedState } from "./sync-csaf";

const StoredCsafFeedState = z.object({
  changesEtag: z.string().nullable().catch(null),
  changesLastModified: z.string().nullable().catch(null),
  deletionsEtag: z.string().nullable().catch(null),
  deletionsLastModified: z.string().nullable().catch(null),
  cursor: z.string().nullable().catch(null),
});

/** A stored state that does not parse (older version, hand edit) means a fresh first sync, not a crash. */
export function readCsafFeedState(state: unknown): CsafFeedState {
  const parsed = StoredCsafFeedState.safeParse(state);
  return parsed.success ? parsed.data : EMPTY_CSAF_FEED_STATE;
}

export const csafUpstreamSource: UpstreamSource<CsafFeedConfig> = {
  initialState: EMPTY_CSAF_FEED_STATE,
  sync: ({ http, upstream, state, onProgress }) => syncCsafFeed({ http, feed: upstream, state: readCsafFeedState(state), onProgress }),
};
