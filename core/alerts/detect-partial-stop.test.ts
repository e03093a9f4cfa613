import { describe, expect, it } from "vitest";
import { MirrorAlertPolicy } from "../config";
import type { CarriedAdvisory } from "./carried-updates";
import { detectPartialStop, selectDueWindow } from "./detect-partial-stop";

const HOUR_MS = 3_600_000;
const now = new Date("2024-03-01T00:00:00Z");
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * HOUR_MS);
const policy = MirrorAlertPolicy.parse({});
const NORMAL_LAG_HOURS = 6;

let nextId = 0;
/** One update of one package, released `issuedHoursAgo` ago; published 2 h after release, or still `status`. */
function update(
  issuedHoursAgo: number,
  name: string,
  status: "published" | "delayed" | "pending" | "missing" | "unknown",
): CarriedAdvisory {
  const advisoryId = `RHSA-2024:${String(1000 + nextId++)}`;
  const issuedAt = hoursAgo(issuedHoursAgo);
  const publishedAt = status === "published" ? new Date(issuedAt.getTime() + 2 * HOUR_MS) : null;
  return {
    advisoryId,
    url: `https://access.redhat.com/errata/${advisoryId}`,
    severity: "Moderate",
    title: null,
    issuedAt,
    publishedAt,
    isPublishedBeforeTracking: false,
    isUnchecked: false,
    packages: [{ name, nevra: `${name}-0:1-1.el8`, status, since: issuedAt, lagSeconds: publishedAt ? 7200 : null, publishedAt }],
  };
}

/**
 * 20 due updates before the window (`baselinePublished` of them published) and 20 in it (`windowPublished` published,
 * spread evenly, names from `kept`; the others named pkg-NN), one every 10 h, the newest 10 h ago — all past the 6 h normal lag.
 */
function scenario(input: { baselinePublished: number; windowPublished: number; baselineSize?: number; kept?: string[] }): {
  updates: CarriedAdvisory[];
  window: CarriedAdvisory[];
} {
  const baselineSize = input.baselineSize ?? 20;
  const kept = input.kept ?? ["bash", "curl", "zlib"];
  const baseline = Array.from({ length: baselineSize }, (_, index) =>
    update(
      210 + (baselineSize - index) * 10,
      `old-${String(index).padStart(2, "0")}`,
      index < input.baselinePublished ? "published" : "missing",
    ),
  );
  const publishedAt = new Set(
    Array.from({ length: input.windowPublished }, (_, index) => Math.floor(((index + 1) * 20) / input.windowPublished) - 1),
  );
  const window = Array.from({ length: 20 }, (_, index) =>
    publishedAt.has(index)
      ? update(200 - index * 10, kept[index % kept.length], "published")
      : update(200 - index * 10, `pkg-${String(index).padStart(2, "0")}`, "delayed"),
  );
  return { updates: [...baseline, ...window], window };
}

const detect = (updates: readonly CarriedAdvisory[], overrides: { isStopped?: boolean; policy?: Partial<MirrorAlertPolicy> } = {}) =>
  detectPartialStop(updates, {
    now,
    normalLagHours: NORMAL_LAG_HOURS,
    policy: { ...policy, ...overrides.policy },
    isStopped: overrides.isStopped ?? false,
  });

describe("detectPartialStop", () => {
  it.each([
    // baseline published of 20, window published of 20, fires? — normal share × 0.5 is the line, strictly below fires.
    [20, 10, false],
    [20, 9, true],
    [19, 10, false],
    [19, 9, true],
    [16, 8, false],
    [16, 7, true],
    [15, 0, false], // normal share 75 % < 80 %: nothing normal to fall from
    [20, 20, false],
    [20, 0, true],
  ])("with %i of 20 published before and %i of 20 in the window: fires = %s", (baselinePublished, windowPublished, fires) => {
    const { share, partialStop } = detect(scenario({ baselinePublished, windowPublished }).updates);
    expect(share).toEqual({ windowSize: 20, publishedInWindow: windowPublished, baselineSize: 20, publishedInBaseline: baselinePublished });
    expect(partialStop !== null).toBe(fires);
  });

  it("needs a full window and at least half a window before it", () => {
    const full = scenario({ baselinePublished: 10, windowPublished: 3, baselineSize: 10 });
    expect(detect(full.updates).partialStop).toMatchObject({ baselineSize: 10, publishedInBaseline: 10 });
    const short = scenario({ baselinePublished: 9, windowPublished: 3, baselineSize: 9 });
    expect(detect(short.updates)).toMatchObject({ share: { baselineSize: 9 }, partialStop: null });
    // 19 due updates: no window yet.
    expect(detect(full.window.slice(1))).toEqual({ share: null, partialStop: null });
  });

  it("counts only updates past the normal lag: fresh unpublished ones do not tip it, and the window slides as they come due", () => {
    const { updates } = scenario({ baselinePublished: 20, windowPublished: 10 });
    const fresh = [update(5, "fresh-1", "pending"), update(3, "fresh-2", "pending"), update(1, "fresh-3", "pending")];
    expect(detect([...updates, ...fresh]).partialStop).toBeNull();
    // As unpublished updates come due, the window drops its oldest: pkg-00 (unpublished, still 10 of 20), then bash (9 of 20).
    const late = [update(8, "late-1", "delayed"), update(7, "late-2", "delayed")];
    expect(detect([...updates, ...fresh, late[0]])).toMatchObject({ share: { publishedInWindow: 10 }, partialStop: null });
    expect(detect([...updates, ...fresh, ...late])).toMatchObject({
      share: { publishedInWindow: 9 },
      partialStop: { publishedInWindow: 9 },
    });
    // With a normal lag of 7.5 h the second is not due yet.
    expect(detectPartialStop([...updates, ...late], { now, normalLagHours: 7.5, policy, isStopped: false }).partialStop).toBeNull();
  });

  it("stays quiet while the major stopped outright, but still measures the share", () => {
    const { updates } = scenario({ baselinePublished: 20, windowPublished: 3 });
    expect(detect(updates, { isStopped: true })).toEqual({ share: expect.objectContaining({ publishedInWindow: 3 }), partialStop: null });
  });

  it("names the packages that stopped and the ones kept, sorted; a name kept elsewhere in the window is not stopped", () => {
    const { updates, window } = scenario({ baselinePublished: 20, windowPublished: 3, kept: ["zlib", "bash", "curl"] });
    // Released between the window's last two: it pushes the window's oldest (pkg-00, unpublished) into the baseline.
    const alsoKept = update(15, "bash", "delayed");
    const result = detect([alsoKept, ...updates]);
    expect(result.partialStop).toMatchObject({ publishedInWindow: 3, publishedInBaseline: 19 });
    const { stoppedPackages, keptPackages, unpublished, normalLagHours } = result.partialStop!;
    expect(keptPackages).toEqual(["bash", "curl", "zlib"]);
    const windowUnpublished = window.slice(1).filter((entry) => entry.publishedAt === null);
    expect(stoppedPackages).toEqual(windowUnpublished.map((entry) => entry.packages[0].name).sort());
    expect(stoppedPackages).not.toContain("bash");
    expect(stoppedPackages).not.toContain("pkg-00");
    expect(unpublished.map((entry) => entry.advisoryId)).toEqual(
      [...windowUnpublished, alsoKept].sort((x, y) => x.issuedAt.getTime() - y.issuedAt.getTime()).map((entry) => entry.advisoryId),
    );
    expect(normalLagHours).toBe(NORMAL_LAG_HOURS);
  });

  it("leaves out updates we could not check: unknown is neither published nor missing", () => {
    const { updates } = scenario({ baselinePublished: 20, windowPublished: 10 });
    const unknown = [update(9, "unknown-1", "unknown"), update(8, "unknown-2", "unknown")];
    expect(detect([...updates, ...unknown]).share).toMatchObject({ publishedInWindow: 10, windowSize: 20 });
  });

  it("keeps the normal share it fired with while it fires, so a long partial stop does not resolve by itself", () => {
    // Two windows into the stop: the updates before the window are stopped ones too (7 of 20) — no normal to speak of.
    const { updates } = scenario({ baselinePublished: 7, windowPublished: 3 });
    expect(detect(updates).partialStop).toBeNull();
    const firingNormalShare = { baselineSize: 20, publishedInBaseline: 20 };
    const held = detectPartialStop(updates, { now, normalLagHours: NORMAL_LAG_HOURS, policy, isStopped: false, firingNormalShare });
    expect(held.partialStop).toMatchObject({ publishedInWindow: 3, baselineSize: 20, publishedInBaseline: 20 });
    expect(held.share).toMatchObject({ baselineSize: 20, publishedInBaseline: 7 });
    // Back to half of what it fired with: resolved.
    const recovered = scenario({ baselinePublished: 7, windowPublished: 10 });
    expect(
      detectPartialStop(recovered.updates, { now, normalLagHours: NORMAL_LAG_HOURS, policy, isStopped: false, firingNormalShare })
        .partialStop,
    ).toBeNull();
    // A full stop still takes over.
    expect(
      detectPartialStop(updates, { now, normalLagHours: NORMAL_LAG_HOURS, policy, isStopped: true, firingNormalShare }).partialStop,
    ).toBeNull();
  });

  it("follows the policy's window, ratio and normal share", () => {
    const { updates } = scenario({ baselinePublished: 20, windowPublished: 10 });
    expect(detect(updates, { policy: { partialStopRatio: 0.6 } }).partialStop).not.toBeNull();
    const tight = scenario({ baselinePublished: 15, windowPublished: 3 });
    expect(detect(tight.updates, { policy: { partialStopMinNormalShare: 0.75 } }).partialStop).not.toBeNull();
    expect(detect(updates, { policy: { partialStopWindow: 10 } }).share).toMatchObject({ windowSize: 10, baselineSize: 10 });
  });
});

describe("selectDueWindow", () => {
  it("orders by release then advisory id, whatever the input order", () => {
    const a = { ...update(20, "a", "published"), advisoryId: "RHSA-2024:0002" };
    const b = { ...update(20, "b", "published"), advisoryId: "RHSA-2024:0001", issuedAt: a.issuedAt };
    const c = update(30, "c", "published");
    const { window, baseline } = selectDueWindow([a, c, b], { now, normalLagHours: 6, windowSize: 2 });
    expect(window.map((entry) => entry.packages[0].name)).toEqual(["b", "a"]);
    expect(baseline.map((entry) => entry.packages[0].name)).toEqual(["c"]);
  });
});
