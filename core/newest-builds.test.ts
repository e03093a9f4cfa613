import { describe, expect, it } from "vitest";
import { foldNewestBuilds, newestBuildKey, type BuildVersion } from "./newest-builds";

const build = (name: string, major: number, version: string, release: string, epoch: number | null = null, id = 0) => ({
  id,
  name,
  major,
  epoch,
  version,
  release,
});

describe("foldNewestBuilds", () => {
  it("keeps the newest per name and major in RPM order, not in text order", () => {
    const newest = new Map<string, BuildVersion & { id: number }>();
    foldNewestBuilds(newest, [
      build("kernel", 8, "4.18.0", "477.10.1.el8_8"),
      build("kernel", 8, "4.18.0", "477.9.1.el8_8"),
      build("kernel", 9, "5.14.0", "284.11.1.el9_2"),
      build("openssl", 8, "1.1.1k", "9.el8_7"),
    ]);
    expect(newest.get(newestBuildKey("kernel", 8))?.release).toBe("477.10.1.el8_8");
    expect(newest.get(newestBuildKey("kernel", 9))?.version).toBe("5.14.0");
    expect(newest.size).toBe(3);
  });

  it("puts the epoch first, a missing epoch counting as 0", () => {
    const newest = new Map<string, BuildVersion & { id: number }>();
    foldNewestBuilds(newest, [build("bind", 9, "9.16.23", "11.el9", 32), build("bind", 9, "9.18.0", "1.el9", null)]);
    expect(newest.get(newestBuildKey("bind", 9))?.epoch).toBe(32);
  });

  it("keeps the first of equal versions and reports only the keys that changed", () => {
    const newest = new Map<string, BuildVersion & { id: number }>();
    foldNewestBuilds(newest, [build("zlib", 8, "1.2.11", "40.el8", null, 1), build("zlib", 8, "1.2.11", "40.el8", 0, 2)]);
    expect(newest.get(newestBuildKey("zlib", 8))?.id).toBe(1);
    const changed = foldNewestBuilds(newest, [
      build("zlib", 8, "1.2.11", "39.el8", null, 3),
      build("zlib", 8, "1.2.11", "40.el8", null, 4),
      build("curl", 8, "7.61.1", "30.el8", null, 5),
    ]);
    expect([...changed]).toEqual([newestBuildKey("curl", 8)]);
    expect(newest.get(newestBuildKey("zlib", 8))?.id).toBe(1);
  });

  it("gives the same newest whether the builds come at once or in batches after a stored newest", () => {
    const builds = Array.from({ length: 60 }, (_, index) =>
      build(`p${index % 7}`, 8 + (index % 2), `1.${(index * 37) % 11}`, `${index % 5}.el8`, null, index),
    );
    const atOnce = new Map<string, BuildVersion & { id: number }>();
    foldNewestBuilds(atOnce, builds);
    const inBatches = new Map<string, BuildVersion & { id: number }>();
    for (let index = 0; index < builds.length; index += 13) foldNewestBuilds(inBatches, builds.slice(index, index + 13));
    expect(inBatches).toEqual(atOnce);
  });
});
