import { z } from "zod";
import type { AlmaErrataMirrorConfig } from "../../core/config";
import { formatNvr } from "../../core/nevra";
import type { Evidence } from "../../core/types";
import type { FetchError } from "../http/types";
import type { MirrorPollInput, MirrorPollResult, MirrorSource } from "../source-contracts";
import { parseAlmaLinuxErrata, type AlmaLinuxErratum } from "./parse-almalinux-errata";

export interface AlmaErrataValidators {
  etag: string | null;
  lastModified: string | null;
}

export interface AlmaErrataState {
  /** Validators of the last errata.full.json read in full, by major ("8", "9"). */
  majors: Record<string, AlmaErrataValidators>;
}

export const EMPTY_ALMA_ERRATA_STATE: AlmaErrataState = { majors: {} };

const StoredAlmaErrataState = z.object({
  majors: z.record(z.string(), z.object({ etag: z.string().nullable(), lastModified: z.string().nullable() })),
});

/** A stored state that does not parse means reading every file in full again, not a crash. */
export function readAlmaErrataState(state: unknown): AlmaErrataState {
  const parsed = StoredAlmaErrataState.safeParse(state);
  return parsed.success ? parsed.data : EMPTY_ALMA_ERRATA_STATE;
}

/** `{major}`, `{id}` (ALSA-2023:3722), `{idUnderscore}` (ALSA-2023_3722), `{idDash}` (ALSA-2023-3722, as errata.almalinux.org names its pages). */
export function fillErratumUrl(template: string, values: { major: number; id: string }): string {
  return template
    .replaceAll("{major}", String(values.major))
    .replaceAll("{idUnderscore}", values.id.replace(":", "_"))
    .replaceAll("{idDash}", values.id.replace(":", "-"))
    .replaceAll("{id}", values.id);
}

export function listErratumBuilds(
  errata: AlmaLinuxErratum[],
  major: number,
  mirror: Pick<AlmaErrataMirrorConfig, "erratumWebUrlTemplate">,
): Evidence[] {
  return errata.flatMap((erratum) =>
    erratum.sourcePackages.map((pkg) => ({
      evidenceKind: "erratum" as const,
      name: pkg.name,
      epoch: pkg.epoch,
      version: pkg.version,
      release: pkg.release,
      major,
      moduleStream: pkg.moduleStream,
      ref: `${erratum.id}/${formatNvr(pkg)}`,
      url: fillErratumUrl(mirror.erratumWebUrlTemplate, { major, id: erratum.id }),
      commitSha: null,
      publishedAt: erratum.updatedAt,
      publishedAtOrigin: "erratum_date" as const,
    })),
  );
}

function explainError(error: FetchError, major: number, maxResponseBytes: number): FetchError {
  if (error.kind !== "too_large") return error;
  return {
    ...error,
    message: `AlmaLinux ${major} errata.full.json is larger than maxResponseBytes (${maxResponseBytes} bytes): raise maxResponseBytes for this mirror (${error.message})`,
  };
}

/**
 * One conditional GET of errata.full.json per configured major. A major whose file fails keeps its validators, so the next
 * poll reads it in full again; the others go on. Every major failing fails the poll.
 */
async function pollAlmaLinuxErrata(input: MirrorPollInput<AlmaErrataMirrorConfig>): Promise<MirrorPollResult> {
  const { http, mirror } = input;
  const state = readAlmaErrataState(input.state);
  const nextState: AlmaErrataState = { majors: { ...state.majors } };
  const builds: Evidence[] = [];
  const failures: Array<{ item: string; error: FetchError }> = [];
  let failedMajors = 0;

  for (const [index, major] of mirror.majors.entries()) {
    input.onProgress?.({ step: `reading AlmaLinux ${major} errata`, done: index, total: mirror.majors.length });
    const item = `${major}/errata.full.json`;
    const url = mirror.errataUrlTemplate.replaceAll("{major}", String(major));
    const validators = state.majors[String(major)];
    const response = await http.get(url, {
      etag: validators?.etag,
      lastModified: validators?.lastModified,
      accept: "application/json",
      maxBytes: mirror.maxResponseBytes,
    });
    if (!response.ok) {
      failedMajors++;
      failures.push({ item, error: explainError(response.error, major, mirror.maxResponseBytes) });
      continue;
    }
    if (response.status === 304) continue;
    const parsed = parseAlmaLinuxErrata(response.body ?? Buffer.alloc(0));
    if (!parsed.ok) {
      failedMajors++;
      failures.push({ item, error: { ...parsed.error, url, status: 200 } });
      continue;
    }
    builds.push(...listErratumBuilds(parsed.errata, major, mirror));
    // Rejected errata stay rejected until the file changes: reading the same bytes again would not help.
    for (const rejected of parsed.rejected) {
      failures.push({ item: `${major}/${rejected.id ?? "?"}`, error: { kind: "invalid_data", message: rejected.message, url } });
    }
    nextState.majors[String(major)] = { etag: response.etag, lastModified: response.lastModified };
  }
  input.onProgress?.({ step: "reading AlmaLinux errata", done: mirror.majors.length, total: mirror.majors.length });

  if (failedMajors > 0 && failedMajors === mirror.majors.length) return { ok: false, error: failures[0].error };
  return { ok: true, builds, state: nextState, failures };
}

export const almalinuxErrataSource: MirrorSource<AlmaErrataMirrorConfig> = {
  scope: "listing",
  listLinkUrls: (mirror) => [mirror.erratumWebUrlTemplate],
  initialState: EMPTY_ALMA_ERRATA_STATE,
  poll: pollAlmaLinuxErrata,
};
