import type { GitForgeMirrorConfig } from "../../core/config";
import type { Evidence } from "../../core/types";
import type { FetchError } from "../http/types";
import type { MirrorPollInput, MirrorPollResult, MirrorSource } from "../source-contracts";
import { listForgeBuilds } from "./list-forge-builds";
import { mapWithConcurrency } from "../map-with-concurrency";

const PROBE_MAX_BYTES = 64 * 1024;

/** A git forge with one repository per package (git.centos.org, OpenELA on GitHub): the open packages' import tags. */
export const gitForgeSource: MirrorSource<GitForgeMirrorConfig> = {
  scope: "open-packages",
  listLinkUrls: (mirror) => [mirror.tagWebUrlTemplate],
  initialState: null,
  poll: pollGitForge,
};

async function pollGitForge(input: MirrorPollInput<GitForgeMirrorConfig>): Promise<MirrorPollResult> {
  const { http, mirror } = input;
  const report = input.onProgress ?? (() => {});
  const majorsByName = listMirrorMajorsByName(input.openPackages, mirror.majors);
  const names = [...majorsByName.keys()].sort();

  if (names.length === 0) {
    const probe = await probeForgeHost(input);
    return probe === null ? { ok: true, builds: [], state: input.state, failures: [] } : { ok: false, error: probe };
  }

  const builds: Evidence[] = [];
  const failures: Array<{ item: string; error: FetchError }> = [];
  let done = 0;
  report({ step: "listing tags", done, total: names.length });
  await mapWithConcurrency(names, mirror.concurrency, async (name) => {
    const result = await listForgeBuilds({
      http,
      mirror,
      packageName: name,
      majors: majorsByName.get(name) ?? [],
      storedEvidence: input.storedEvidence,
    });
    if (result.ok) builds.push(...result.builds);
    else failures.push({ item: name, error: result.error });
    report({ step: "listing tags", done: ++done, total: names.length });
  });

  if (failures.length === names.length) {
    const first = failures.sort((a, b) => a.item.localeCompare(b.item))[0];
    return { ok: false, error: first.error };
  }
  builds.sort((a, b) => a.ref.localeCompare(b.ref));
  failures.sort((a, b) => a.item.localeCompare(b.item));
  return { ok: true, builds, state: input.state, failures };
}

/** Open packages with the majors this mirror carries; packages left with none are not looked up. */
export function listMirrorMajorsByName(
  openPackages: ReadonlyMap<string, ReadonlySet<number>>,
  mirrorMajors: readonly number[],
): Map<string, number[]> {
  const majorsByName = new Map<string, number[]>();
  for (const [name, majors] of openPackages) {
    const carried = [...majors].filter((major) => mirrorMajors.includes(major)).sort((a, b) => a - b);
    if (carried.length > 0) majorsByName.set(name, carried);
  }
  return majorsByName;
}

/** Nothing to look up: still find out whether the forge answers at all, so its health stays true. Any HTTP answer counts. */
async function probeForgeHost(input: MirrorPollInput<GitForgeMirrorConfig>): Promise<FetchError | null> {
  let probeUrl: string;
  try {
    probeUrl = new URL("/", input.mirror.repoUrlTemplate.replace("{name}", "srcwatch-probe")).toString();
  } catch {
    return { kind: "invalid_data", message: "repoUrlTemplate is not a URL", url: input.mirror.repoUrlTemplate };
  }
  input.onProgress?.({ step: "probing the forge", done: 0, total: 1 });
  const probe = await input.http.get(probeUrl, { maxBytes: PROBE_MAX_BYTES });
  input.onProgress?.({ step: "probing the forge", done: 1, total: 1 });
  if (probe.ok || probe.error.kind === "http" || probe.error.kind === "too_large") return null;
  return probe.error;
}
