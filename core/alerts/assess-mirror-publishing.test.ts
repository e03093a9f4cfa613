import { describe, expect, it } from "vitest";
import { MirrorAlertPolicy } from "../config";
import { assessMirrorPublishing } from "./assess-mirror-publishing";
import type { CarriedAdvisory } from "./carried-updates";

const HOUR_MS = 3_600_000;
const now = new Date("2023-10-05T00:00:00Z");
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * HOUR_MS);
const policy = MirrorAlertPolicy.parse({});

let nextId = 0;
type State = "published" | "before_tracking" | "delayed" | "missing";
function update(issuedHoursAgo: number, state: State, options: { lagHours?: number; name?: string } = {}): CarriedAdvisory {
  const advisoryId = `RHSA-2023:${4000 + nextId++}`;
  const issuedAt = hoursAgo(issuedHoursAgo);
  const name = options.name ?? `pkg${nextId}`;
  const knownAt = state === "published" ? new Date(issuedAt.getTime() + (options.lagHours ?? 4) * HOUR_MS) : null;
  const isPublished = state === "published" || state === "before_tracking";
  return {
    advisoryId,
    url: `https://access.redhat.com/errata/${advisoryId}`,
    severity: "Important",
    title: null,
    issuedAt,
    // Before tracking: the release is the lower bound groupCarriedAdvisories gives.
    publishedAt: isPublished ? (knownAt ?? issuedAt) : null,
    isPublishedBeforeTracking: state === "before_tracking",
    isUnchecked: false,
    packages: [
      {
        name,
        nevra: `${name}-0:1-1.el8`,
        status: isPublished ? "published" : state,
        since: now,
        lagSeconds: knownAt ? (options.lagHours ?? 4) * 3600 : null,
        publishedAt: knownAt,
      },
    ],
  };
}

/** 30 updates published 4 h after release, one every 20 h, the last ~150 h ago: learned p95 4 h → the 6 h floor. */
const steadyHistory = (major: number) => Array.from({ length: 30 }, (_, index) => update(740 - index * 20 + major, "published"));

const assess = (updatesByMajor: Map<number, CarriedAdvisory[]>, expectedLagHours = 48) =>
  assessMirrorPublishing({ updatesByMajor, now, policy, expectedLagHours });

describe("assessMirrorPublishing", () => {
  it("judges a stop by the learned normal lag, not the configured expected lag", () => {
    const stalled = [update(30, "delayed"), update(20, "delayed"), update(10, "delayed")];
    const { normalLag, majors } = assess(new Map([[8, [...steadyHistory(8), ...stalled]]]));
    expect(normalLag).toEqual({ hours: 6, source: "learned", percentile: 95, historySize: 30 });
    expect(majors).toHaveLength(1);
    expect(majors[0].stop).toMatchObject({ stoppedAt: hoursAgo(740 - 29 * 20 + 8 - 4), overdueSinceCount: 3, releasedSinceCount: 3 });
    // With the configured 48 h none of them would be overdue: the page used to say "not stopped" here.
    expect(assess(new Map([[8, [update(200, "published"), ...stalled]]])).majors[0].stop.stoppedAt).toBeNull();
  });

  it("learns one normal lag for the mirror from every major, leaving out updates published before tracking", () => {
    const beforeTracking = Array.from({ length: 40 }, (_, index) => update(2000 + index, "before_tracking"));
    const { normalLag } = assess(
      new Map([
        [8, [...beforeTracking, ...steadyHistory(8).slice(0, 12)]],
        [9, steadyHistory(9).slice(0, 12)],
      ]),
    );
    expect(normalLag).toMatchObject({ source: "learned", historySize: 24, hours: 6 });
    expect(assess(new Map([[8, beforeTracking]]))).toMatchObject({ normalLag: { source: "configured", historySize: 0, hours: 48 } });
  });

  it("takes an update published before tracking as a publication no earlier than its release, never later", () => {
    const { majors } = assess(
      new Map([
        [
          8,
          [
            update(3000, "published"),
            update(500, "before_tracking"),
            update(400, "missing"),
            update(300, "missing"),
            update(200, "missing"),
          ],
        ],
      ]),
    );
    expect(majors[0].stop).toMatchObject({ stoppedAt: hoursAgo(500), lastPublishedAt: hoursAgo(500), releasedSinceCount: 3 });
  });

  it("lists every major, ascending, each with its own stop and partial stop", () => {
    const kept = ["bash", "curl", "zlib"];
    // RHEL 9: 20 due updates published normally, then 20 of which only 3 packages keep arriving (the last one 10 h ago).
    const normal = Array.from({ length: 20 }, (_, index) => update(600 - index * 10, "published", { lagHours: 2 }));
    const partial = Array.from({ length: 20 }, (_, index) =>
      [6, 13, 19].includes(index)
        ? update(200 - index * 10, "published", { lagHours: 2, name: kept[[6, 13, 19].indexOf(index)] })
        : update(200 - index * 10, "delayed", { name: `gone${index}` }),
    );
    const stalled = [...steadyHistory(8), update(30, "missing"), update(20, "delayed"), update(10, "delayed")];
    const { majors } = assess(
      new Map([
        [9, [...partial].reverse().concat(normal)],
        [8, stalled],
      ]),
    );
    expect(majors.map((entry) => entry.major)).toEqual([8, 9]);
    expect(majors[0]).toMatchObject({ stop: { stoppedAt: expect.any(Date) }, partialStop: null });
    expect(majors[1].stop.stoppedAt).toBeNull();
    expect(majors[1].partialStop).toMatchObject({
      windowSize: 20,
      publishedInWindow: 3,
      baselineSize: 20,
      publishedInBaseline: 20,
      keptPackages: kept,
      normalLagHours: 6,
    });
    expect(majors[1].partialStop!.stoppedPackages).toHaveLength(17);
    expect(majors[1].share).toEqual({ windowSize: 20, publishedInWindow: 3, baselineSize: 20, publishedInBaseline: 20 });
  });

  it("says a full stop only, not a partial one too, when a major stopped outright", () => {
    const normal = Array.from({ length: 20 }, (_, index) => update(600 - index * 10, "published", { lagHours: 2 }));
    const nothing = Array.from({ length: 20 }, (_, index) => update(200 - index * 10, "delayed"));
    const { majors } = assess(new Map([[8, [...normal, ...nothing]]]));
    expect(majors[0].stop.stoppedAt).not.toBeNull();
    expect(majors[0]).toMatchObject({ partialStop: null, share: { publishedInWindow: 0, windowSize: 20 } });
  });
});
