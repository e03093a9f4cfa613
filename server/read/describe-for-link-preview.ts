import "server-only";

import { worstVerdict } from "../../core/worst-verdict";
import { ADVISORY_TYPE_LABELS, type AdvisoryType, type VerdictStatus } from "../../core/types";
import type { AdvisoryDetailResponse } from "../../contract/advisory-dto";
import type { MirrorHistoryResponse } from "../../contract/mirror-history-dto";

/** The description of a link preview: what a person sees of a link pasted into a chat, before opening it. */

const day = (instant: string) => instant.slice(0, 10);
const TITLE_CHARACTERS = 120;

/** In the order a reader cares about: where it is late first, then where it arrived. */
const STATUS_ORDER: { status: VerdictStatus; words: string }[] = [
  { status: "missing", words: "missing on" },
  { status: "delayed", words: "delayed on" },
  { status: "pending", words: "pending on" },
  { status: "unknown", words: "not checked yet on" },
  { status: "published", words: "published on" },
];

/**
 * "Important security advisory released 2023-06-13: firefox security update. Missing on git.centos.org; published on
 * AlmaLinux errata, Rocky Linux errata." Each mirror's status is the worst verdict of the advisory's packages there (the
 * page's own rows); mirrors that do not carry it are left out.
 */
export function describeAdvisory(detail: AdvisoryDetailResponse, mirrors: readonly { id: string; name: string }[]): string {
  const { advisory } = detail;
  const title =
    advisory.title && advisory.title.length > TITLE_CHARACTERS ? `${advisory.title.slice(0, TITLE_CHARACTERS - 1)}…` : advisory.title;
  const label = ADVISORY_TYPE_LABELS[advisory.type as AdvisoryType] ?? `${advisory.type} advisory`;
  const kind = advisory.type === "security" && advisory.severity ? `${advisory.severity} ${label.toLowerCase()}` : label;
  const opening = `${kind} released ${day(advisory.issuedAt)}${title ? `: ${title}` : ""}.`;
  const statusByMirror = new Map<string, VerdictStatus>();
  for (const mirror of mirrors) {
    const statuses = detail.packages.flatMap((pkg) =>
      pkg.verdicts.filter((verdict) => verdict.mirrorId === mirror.id).map((verdict) => verdict.status),
    );
    if (statuses.length > 0) statusByMirror.set(mirror.id, worstVerdict(statuses));
  }
  const clauses = STATUS_ORDER.flatMap(({ status, words }) => {
    const names = mirrors.filter((mirror) => statusByMirror.get(mirror.id) === status).map((mirror) => mirror.name);
    return names.length ? [`${words} ${names.join(", ")}`] : [];
  });
  if (clauses.length === 0) return opening;
  const sentence = clauses.join("; ");
  return `${opening} ${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
}

/**
 * "RHEL 8: stopped publishing on 2023-06-05, 14 updates released since, none published. RHEL 9: last published
 * 2023-06-20." — per major, the stop the mirror page shows (the publishing_stopped rule's figures), else its partial
 * stop, else its last publication.
 */
export function describeMirror(history: MirrorHistoryResponse): string {
  const sentences = history.publishing.majors.map(({ major, stop, partialStop }) => {
    if (stop.stoppedAt) {
      const since = stop.releasedSinceCount === 1 ? "1 update released since" : `${stop.releasedSinceCount} updates released since`;
      return `RHEL ${major}: stopped publishing on ${day(stop.stoppedAt)}, ${since}, none published.`;
    }
    if (partialStop) {
      const packages = partialStop.stoppedPackages.length === 1 ? "1 package" : `${partialStop.stoppedPackages.length} packages`;
      return `RHEL ${major}: stopped publishing ${packages} while others keep arriving.`;
    }
    return stop.lastPublishedAt ? `RHEL ${major}: last published ${day(stop.lastPublishedAt)}.` : `RHEL ${major}: nothing published yet.`;
  });
  return [`How fast ${history.mirror.name} publishes the sources of RHEL updates, and whether it stopped.`, ...sentences].join(" ");
}
