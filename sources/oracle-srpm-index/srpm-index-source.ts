import { z } from "zod";
import type { SrpmIndexMirrorConfig } from "../../core/config";
import { distMajor, parseNevra } from "../../core/nevra";
import type { Evidence } from "../../core/types";
import type { FetchError } from "../http/types";
import type { MirrorPollResult, MirrorSource } from "../source-contracts";
import { parseSrpmIndex } from "./parse-srpm-index";

const SrpmIndexValidators = z.object({
  etag: z.string().nullable().catch(null),
  lastModified: z.string().nullable().catch(null),
});

/** Per index URL: the validators of the page last read. */
export const SrpmIndexState = z.object({ indexes: z.record(z.string(), SrpmIndexValidators) });
export type SrpmIndexState = z.infer<typeof SrpmIndexState>;

export const EMPTY_SRPM_INDEX_STATE: SrpmIndexState = { indexes: {} };

export function readSrpmIndexState(state: unknown): SrpmIndexState {
  const parsed = SrpmIndexState.safeParse(state);
  return parsed.success ? parsed.data : EMPTY_SRPM_INDEX_STATE;
}

/** A flat HTML directory index of SRPMs per major (oss.oracle.com/olN/SRPMS-updates/), by conditional GET. */
export const srpmIndexSource: MirrorSource<SrpmIndexMirrorConfig> = {
  scope: "listing",
  listLinkUrls: (mirror) => [mirror.indexUrlTemplate],
  initialState: EMPTY_SRPM_INDEX_STATE,
  async poll({ http, mirror, state, onProgress }): Promise<MirrorPollResult> {
    const previous = readSrpmIndexState(state);
    const nextState: SrpmIndexState = { indexes: { ...previous.indexes } };
    const builds: Evidence[] = [];
    const failures: Array<{ item: string; error: FetchError }> = [];
    let failedIndexes = 0;
    for (const [position, major] of mirror.majors.entries()) {
      onProgress?.({ step: "reading SRPM indexes", done: position, total: mirror.majors.length });
      const indexUrl = mirror.indexUrlTemplate.replaceAll("{major}", String(major));
      const validators = previous.indexes[indexUrl];
      const response = await http.get(indexUrl, {
        etag: validators?.etag,
        lastModified: validators?.lastModified,
        accept: "text/html",
        maxBytes: mirror.maxResponseBytes,
      });
      if (!response.ok) {
        failedIndexes++;
        failures.push({ item: indexUrl, error: response.error });
        continue;
      }
      if (response.status === 304) continue;
      const parsed = parseSrpmIndex((response.body ?? Buffer.alloc(0)).toString("utf8"));
      if (!parsed.ok) {
        failedIndexes++;
        failures.push({ item: indexUrl, error: { kind: "parse", message: parsed.error.message, url: indexUrl, status: 200 } });
        continue;
      }
      for (const entry of parsed.entries) {
        const nevra = parseNevra(entry.fileName);
        // The index is flat: the link is built from the configured index URL, never copied from the page.
        const url = new URL(encodeURIComponent(entry.fileName), indexUrl).href;
        if (!nevra || nevra.arch !== "src") {
          failures.push({
            item: entry.fileName,
            error: { kind: "invalid_data", message: "not a source RPM file name name-version-release.src.rpm", url },
          });
          continue;
        }
        builds.push({
          evidenceKind: "srpm",
          name: nevra.name,
          epoch: null,
          version: nevra.version,
          release: nevra.release,
          major: distMajor(nevra.release) ?? major,
          moduleStream: null,
          ref: entry.fileName,
          url,
          commitSha: null,
          publishedAt: entry.modifiedAt,
          publishedAtOrigin: entry.modifiedAt ? "index_date" : null,
        });
      }
      nextState.indexes[indexUrl] = { etag: response.etag, lastModified: response.lastModified };
    }
    onProgress?.({ step: "reading SRPM indexes", done: mirror.majors.length, total: mirror.majors.length });
    if (mirror.majors.length > 0 && failedIndexes === mirror.majors.length) return { ok: false, error: failures[0].error };
    return { ok: true, builds, state: nextState, failures };
  },
};
