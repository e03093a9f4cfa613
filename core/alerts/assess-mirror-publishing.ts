import type { MirrorAlertPolicy } from "../config";
import { detectPublishingStop, type PublishingStop } from "../detect-publishing-stop";
import { compareByIssuedThenId, listPublishedLags, type CarriedAdvisory } from "./carried-updates";
import { detectPartialStop, type NormalShare, type PartialStopResult, type PublishingShare } from "./detect-partial-stop";
import { learnNormalLag, type NormalLag } from "./learn-normal-lag";
import type { AlertDetails } from "./types";

/** Normal lags as people read them (alerts, mail, the mirror page): to 0.1 h. */
export const roundLagHours = (hours: number) => Math.round(hours * 10) / 10;

/** A partial stop as alerts and the mirror page tell it: the same numbers, rounded once here. */
export function toPartialStopEvidence(partialStop: PartialStopResult): NonNullable<AlertDetails["partialStop"]> {
  return {
    windowSize: partialStop.windowSize,
    publishedInWindow: partialStop.publishedInWindow,
    baselineSize: partialStop.baselineSize,
    publishedInBaseline: partialStop.publishedInBaseline,
    normalLagHours: roundLagHours(partialStop.normalLagHours),
    stoppedPackages: partialStop.stoppedPackages,
    keptPackages: partialStop.keptPackages,
  };
}

export interface MajorPublishing {
  major: number;
  /** publishing_stopped: `stoppedAt` set when it fires. */
  stop: PublishingStop;
  /** The share of the last due updates the mirror published against its normal share; null until a window is due. */
  share: PublishingShare | null;
  /** partial_stop: set when it fires (never together with a stop of the same major). */
  partialStop: PartialStopResult | null;
}

export interface MirrorPublishing {
  /** The mirror's normal lag (all its majors together): what "overdue" and "due" mean for it. */
  normalLag: NormalLag;
  /** Ascending by major. */
  majors: MajorPublishing[];
}

export interface MirrorPublishingInput {
  /** Carried updates per RHEL major of the mirror. */
  updatesByMajor: ReadonlyMap<number, readonly CarriedAdvisory[]>;
  now: Date;
  policy: MirrorAlertPolicy;
  /** The mirror's configured expectedLagHours: the normal lag until enough history is known. */
  expectedLagHours: number;
  /**
   * Per major, the normal share of its firing partial_stop alert (details.partialStop): a partial stop keeps the measure
   * it fired with until the mirror is back above it. Empty or absent: none fires.
   */
  firingPartialStops?: ReadonlyMap<number, NormalShare>;
}

/** The normal lag of a mirror from its carried updates: what assessMirrorPublishing uses (loaders need it to bound their reads). */
export function learnMirrorNormalLag(
  input: Pick<MirrorPublishingInput, "updatesByMajor" | "now" | "policy" | "expectedLagHours">,
): NormalLag {
  return learnNormalLag(listPublishedLags(input.updatesByMajor), {
    now: input.now,
    policy: input.policy,
    expectedLagHours: input.expectedLagHours,
  });
}

/** The normal share of each major's firing partial_stop alert, from the alerts' details. */
export function listFiringPartialStops(
  firing: readonly { kind: string; major: number | null; details: { partialStop?: NormalShare } }[],
): Map<number, NormalShare> {
  const byMajor = new Map<number, NormalShare>();
  for (const alert of firing) {
    const normal = alert.details.partialStop;
    if (alert.kind === "partial_stop" && alert.major !== null && normal) {
      byMajor.set(alert.major, { baselineSize: normal.baselineSize, publishedInBaseline: normal.publishedInBaseline });
    }
  }
  return byMajor;
}

/**
 * Is the mirror publishing, per major? The one place the alert rules (publishing_stopped, partial_stop) and the mirror
 * page get the mirror's normal lag, its stop and its partial stop — so they cannot disagree.
 */
export function assessMirrorPublishing(input: MirrorPublishingInput): MirrorPublishing {
  const { now, policy } = input;
  const normalLag = learnMirrorNormalLag(input);
  const majors = [...input.updatesByMajor.keys()]
    .sort((a, b) => a - b)
    .map((major): MajorPublishing => {
      const updates = [...(input.updatesByMajor.get(major) ?? [])].sort(compareByIssuedThenId);
      const stop = detectPublishingStop(updates, {
        now,
        minOverdueUpdates: policy.stoppedMinOverdueUpdates,
        expectedLagHours: normalLag.hours,
      });
      const { share, partialStop } = detectPartialStop(updates, {
        now,
        normalLagHours: normalLag.hours,
        policy,
        isStopped: stop.stoppedAt !== null,
        firingNormalShare: input.firingPartialStops?.get(major) ?? null,
      });
      return { major, stop, share, partialStop };
    });
  return { normalLag, majors };
}
