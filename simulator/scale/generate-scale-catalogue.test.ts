import { describe, expect, it } from "vitest";
import { compareRpmVersion } from "../../core/rpm-version";
import { parseCsafAdvisory } from "../../sources/redhat-csaf/parse-csaf-advisory";
import { buildCsafDocument } from "../csaf/build-csaf-document";
import { generateScaleCatalogue } from "./generate-scale-catalogue";

const END_AT = new Date("2025-06-02T00:00:00Z");

describe("generateScaleCatalogue", () => {
  it("ships exactly the packages asked for, about three per advisory", () => {
    const catalogue = generateScaleCatalogue({ packageCount: 3000, endAt: END_AT });
    expect(catalogue.packageCount).toBe(3000);
    expect(catalogue.timeline.packages).toHaveLength(3000);
    expect(catalogue.advisoryCount / 1000).toBeGreaterThan(0.9);
    expect(catalogue.advisoryCount / 1000).toBeLessThan(1.1);
  });

  it("ships exactly the advisories asked for when sized by advisories", () => {
    const catalogue = generateScaleCatalogue({ advisoryCount: 400, endAt: END_AT });
    expect(catalogue.timeline.releases).toHaveLength(400);
    expect(catalogue.packageCount).toBe(catalogue.timeline.packages.length);
  });

  it("refuses a size given twice or not at all", () => {
    expect(() => generateScaleCatalogue({ endAt: END_AT })).toThrow(RangeError);
    expect(() => generateScaleCatalogue({ packageCount: 10, advisoryCount: 10, endAt: END_AT })).toThrow(RangeError);
  });

  it("is the same catalogue for the same seed and another one for another seed", () => {
    const nevras = (seed: string) =>
      generateScaleCatalogue({ packageCount: 500, endAt: END_AT, seed }).timeline.packages.map((p) => p.nevra);
    expect(nevras("a")).toEqual(nevras("a"));
    expect(nevras("a")).not.toEqual(nevras("b"));
  });

  it("releases in time order up to endAt, at the yearly rate, with unique advisory ids", () => {
    const catalogue = generateScaleCatalogue({ packageCount: 3000, endAt: END_AT, packagesPerDay: 30 });
    const times = catalogue.timeline.releases.map((release) => release.releasedAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(catalogue.lastReleaseAt).toEqual(END_AT);
    expect((END_AT.getTime() - catalogue.firstReleaseAt.getTime()) / 86_400_000).toBeCloseTo(100, 0);
    expect(new Set(catalogue.timeline.releases.map((release) => release.advisoryId)).size).toBe(catalogue.advisoryCount);
  });

  it("repeats names with builds that rise in rpm order, so a newer build answers an older package", () => {
    const catalogue = generateScaleCatalogue({ packageCount: 5000, endAt: END_AT, nameCount: 300 });
    expect(catalogue.nameCount).toBe(300);
    const lastRelease = new Map<string, string>();
    for (const pkg of catalogue.timeline.packages) {
      const key = `${pkg.name}/${pkg.major}`;
      const previous = lastRelease.get(key);
      if (previous !== undefined) expect(compareRpmVersion(pkg.release.split(".")[0], previous.split(".")[0])).toBe(1);
      lastRelease.set(key, pkg.release);
    }
    expect(new Set(catalogue.timeline.packages.map((pkg) => `${pkg.nevra}/${pkg.major}`)).size).toBe(5000);
  });

  it("has git.centos.org import nearly every main-stream package and no extended-stream one", () => {
    const { packages } = generateScaleCatalogue({ packageCount: 5000, endAt: END_AT }).timeline;
    const main = packages.filter((pkg) => pkg.isMainStream);
    const imported = main.filter((pkg) => pkg.importAt !== null);
    expect(imported.length / main.length).toBeGreaterThan(0.96);
    expect(imported.length).toBeLessThan(main.length);
    expect(imported.every((pkg) => pkg.importAt! > pkg.releasedAt && pkg.tag === `imports/c${pkg.major}/${pkg.nvr}`)).toBe(true);
    expect(packages.filter((pkg) => !pkg.isMainStream).every((pkg) => pkg.tag === null && pkg.importAt === null)).toBe(true);
  });

  it("builds CSAF documents that srcwatch's parser reads back as the catalogue's packages", () => {
    const { timeline } = generateScaleCatalogue({ advisoryCount: 200, endAt: END_AT });
    for (const release of timeline.releases) {
      const parsed = parseCsafAdvisory(JSON.parse(JSON.stringify(buildCsafDocument(release))), { majors: [8, 9] });
      if (!parsed.ok || !parsed.advisory) throw new Error(`${release.advisoryId} did not parse`);
      const read = parsed.advisory.packages.map((pkg) => `${pkg.name}-${pkg.version}-${pkg.release}/${pkg.major}/${pkg.stream}`).sort();
      const shipped = timeline.packages
        .filter((pkg) => pkg.advisoryId === release.advisoryId)
        .map((pkg) => `${pkg.nvr}/${pkg.major}/${pkg.isMainStream ? "main" : "EUS"}`)
        .sort();
      expect(read).toEqual(shipped);
    }
  });
});
