import { createLinkPolicy } from "../core/check-link";
import type { MirrorConfig } from "../core/config";
import type { Evidence } from "../core/types";
import { listOpenPackageNames } from "../server/evidence/list-open-package-names";
import { listStoredEvidence } from "../server/evidence/list-stored-evidence";
import { recordMirrorPoll, type CheckedNames } from "../server/evidence/record-mirror-poll";
import { encodeSyncState } from "../server/db/codecs/sync-state-codec";
import type { PollRunReport } from "../server/poll-runs/poll-run-outcome";
import { getSyncState } from "../server/source-state/record-source-progress";
import { checkEvidenceLinks } from "../sources/check-evidence-links";
import { MIRROR_SOURCES } from "../sources/registry";
import type { MirrorSource } from "../sources/source-contracts";
import { isBackfillWindowOpen } from "../server/verdicts/open-verdicts";
import { runPoll } from "./run-poll";
import type { WorkerDeps } from "./worker-deps";

interface MirrorFindings {
  newBuilds: Evidence[];
  checkedNames: CheckedNames;
  syncState: string;
}

/**
 * Job handler: one poll of one mirror through its source. Per-package sources look only at the
 * packages whose verdicts are still open; listing sources read the mirror's whole listing. Builds
 * seen for the first time become Evidence, written with the PollRun in one transaction.
 */
export async function pollMirror(deps: WorkerDeps, mirror: MirrorConfig): Promise<{ report: PollRunReport; newBuilds: number }> {
  const { db } = deps;
  const source = MIRROR_SOURCES[mirror.kind] as MirrorSource<typeof mirror>;
  const { report, result } = await runPoll<MirrorFindings>(
    deps,
    { kind: "mirror", config: mirror },
    {
      async attempt({ http, signal, onProgress, startedAt, log }) {
        // Per-package mirrors ask only the names due by their age (core/schedule-name-checks.ts); listings read everything.
        const openPackages = await listOpenPackageNames(db, mirror.id, {
          withBeforeTrackedFrom: isBackfillWindowOpen(mirror, startedAt),
          schedule: source.scope === "open-packages" ? { now: startedAt, mirror } : undefined,
        });
        for (const [name, majors] of openPackages) {
          for (const major of majors) if (!mirror.majors.includes(major)) majors.delete(major);
          if (majors.size === 0) openPackages.delete(name);
        }
        const storedEvidence = await listStoredEvidence(db, mirror.id, source.scope === "open-packages" ? [...openPackages.keys()] : null);
        const state = await getSyncState(db, mirror.id);
        const polled = await source.poll({
          http,
          mirror,
          openPackages,
          storedEvidence,
          state: state ?? source.initialState,
          onProgress,
          signal,
        });
        if (!polled.ok) return polled;
        const checked = checkEvidenceLinks(polled.builds, createLinkPolicy(source.listLinkUrls(mirror)));
        if (checked.refusedLinks.length)
          log.warn(
            { count: checked.refusedLinks.length, first: checked.refusedLinks.slice(0, 10) },
            "refused evidence links that are not on the mirror's hosts",
          );
        const seen = new Set<string>();
        const newBuilds = checked.builds.filter((build) => !storedEvidence.has(build.ref) && !seen.has(build.ref) && seen.add(build.ref));
        const first = polled.failures[0];
        // Only what the poll asked about can be found absent: every name of a listing, else the open names it could read.
        const failedNames = new Set(polled.failures.map((failure) => failure.item));
        const checkedNames: CheckedNames =
          source.scope === "listing" ? "all" : new Map([...openPackages].filter(([name]) => !failedNames.has(name)));
        return {
          ok: true,
          result: { newBuilds, checkedNames, syncState: encodeSyncState(polled.state, mirror.id) },
          outcome: first ? "partial" : "success",
          items: newBuilds.length,
          failure: first
            ? {
                kind: first.error.kind,
                message: `${polled.failures.length} item(s) could not be read; first: ${first.item}: ${first.error.message} (${first.error.url})`,
              }
            : null,
        };
      },
      // A failed poll asked nothing it can vouch for: no builds, no names found absent.
      record: ({ pollRunId, startedAt, report, result }) =>
        recordMirrorPoll(db, {
          mirrorId: mirror.id,
          pollRunId,
          startedAt,
          now: deps.now(),
          newBuilds: report.outcome === "failed" ? [] : (result?.newBuilds ?? []),
          checkedNames: report.outcome === "failed" ? new Map() : (result?.checkedNames ?? new Map()),
          report,
          syncState: result?.syncState,
        }),
      describe: (result) => ({ newBuilds: result?.newBuilds.length ?? 0 }),
    },
  );
  return { report, newBuilds: report.outcome === "failed" ? 0 : (result?.newBuilds.length ?? 0) };
}
