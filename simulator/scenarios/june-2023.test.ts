import { describe, expect, it } from "vitest";
import { loadScenarioAdvisories } from "../load-scenario-advisories";
import { createJune2023Timeline, JUNE_2023_DEFAULT_CUTOFF } from "./june-2023";

const HOUR_MS = 3_600_000;
const cutoff = new Date(JUNE_2023_DEFAULT_CUTOFF);

describe("the june-2023 timeline", () => {
  const timeline = createJune2023Timeline();
  const mainStream = timeline.packages.filter((item) => item.isMainStream);

  it("loads and validates all 491 advisory records", () => {
    expect(loadScenarioAdvisories()).toHaveLength(491);
    expect(timeline.releases).toHaveLength(490);
    expect(timeline.releases.find((release) => release.advisoryId === "RHSA-2023:3661")?.records.map((record) => record.major)).toEqual([
      8, 9,
    ]);
  });

  it("releases each advisory on its day, between 08:00 and 20:00 UTC, in order", () => {
    for (const release of timeline.releases) {
      const hour = release.releasedAt.getUTCHours();
      expect(hour).toBeGreaterThanOrEqual(8);
      expect(hour).toBeLessThan(20);
      expect(release.releasedAt.toISOString().slice(0, 10)).toBe(release.records[0].releasedAt.slice(0, 10));
    }
    const instants = timeline.releases.map((release) => release.releasedAt.getTime());
    expect(instants).toEqual([...instants].sort((a, b) => a - b));
  });

  it("imports nothing at or after the cut-off", () => {
    const imported = timeline.packages.filter((item) => item.importAt);
    expect(imported.length).toBeGreaterThan(100);
    for (const item of imported) expect(item.importAt!.getTime()).toBeLessThan(cutoff.getTime());
    expect(mainStream.filter((item) => item.releasedAt >= cutoff).every((item) => item.importAt === null)).toBe(true);
  });

  it("never imports EUS, AUS, E4S or TUS packages", () => {
    const extended = timeline.packages.filter((item) => !item.streams.includes("main"));
    expect(extended.length).toBeGreaterThan(50);
    for (const item of extended) expect(item).toMatchObject({ isMainStream: false, tag: null, importAt: null });
  });

  it("imports main-stream packages 1–8 h after release, and a few 2–6 days late, some of them before the cut-off", () => {
    const delaysHours = timeline.packages
      .filter((item) => item.importAt)
      .map((item) => (item.importAt!.getTime() - item.releasedAt.getTime()) / HOUR_MS);
    for (const hours of delaysHours) expect((hours >= 1 && hours < 8) || (hours >= 48 && hours < 144)).toBe(true);
    expect(delaysHours.filter((hours) => hours >= 48).length).toBeGreaterThan(0);

    const uncut = createJune2023Timeline({ cutoff: null }).packages.filter((item) => item.isMainStream);
    const lateShare = uncut.filter((item) => item.importAt!.getTime() - item.releasedAt.getTime() >= 48 * HOUR_MS).length / uncut.length;
    expect(lateShare).toBeGreaterThan(0.01);
    expect(lateShare).toBeLessThan(0.1);
  });

  it("tags imports as imports/c<major>/<nvr>", () => {
    const openssl = mainStream.find((item) => item.name === "openssl" && item.major === 9);
    expect(openssl).toBeDefined();
    expect(openssl!.tag).toBe(`imports/c9/${openssl!.nvr}`);
    expect(openssl!.nevra).toBe(`openssl-${openssl!.epoch}:${openssl!.version}-${openssl!.release}`);
  });

  it("leaves out module builds and kpatch-patch entries without a version", () => {
    expect(timeline.packages.some((item) => item.name.includes(":"))).toBe(false);
    expect(timeline.packages.every((item) => item.version && item.release)).toBe(true);
  });

  it("is the same on every run", () => {
    const again = createJune2023Timeline();
    expect(JSON.stringify(again)).toBe(JSON.stringify(timeline));
  });

  it("imports every main-stream package when there is no cut-off", () => {
    const uncut = createJune2023Timeline({ cutoff: null });
    expect(uncut.cutoff).toBeNull();
    expect(uncut.packages.filter((item) => item.isMainStream).every((item) => item.importAt)).toBe(true);
    expect(uncut.packages.filter((item) => item.isMainStream).length).toBe(mainStream.length);
  });

  it("resumes: imports due between the cut-off and resumeAt arrive as a backlog just after it, later ones as usual", () => {
    const resumeAt = new Date("2023-07-03T00:00:00Z");
    const resumed = createJune2023Timeline({ resumeAt });
    expect(resumed.resumeAt).toEqual(resumeAt);
    const uncut = createJune2023Timeline({ cutoff: null }).packages;
    let backlog = 0;
    resumed.packages.forEach((item, index) => {
      const candidate = uncut[index].importAt;
      if (!item.isMainStream) return expect(item.importAt).toBeNull();
      if (candidate!.getTime() < cutoff.getTime() || candidate!.getTime() >= resumeAt.getTime())
        return expect(item.importAt).toEqual(candidate);
      backlog++;
      expect(item.importAt!.getTime()).toBeGreaterThanOrEqual(resumeAt.getTime());
      expect(item.importAt!.getTime()).toBeLessThan(resumeAt.getTime() + 20 * 60_000);
      expect(item.importAt!.getTime() % 1000).toBe(0);
    });
    expect(backlog).toBeGreaterThan(10);
    expect(JSON.stringify(createJune2023Timeline({ resumeAt }))).toBe(JSON.stringify(resumed));
    expect(() => createJune2023Timeline({ cutoff: null, resumeAt })).toThrow(/needs a cutoff/);
    expect(() => createJune2023Timeline({ resumeAt: "2023-06-01T00:00:00Z" })).toThrow(/needs a cutoff before it/);
  });
});
