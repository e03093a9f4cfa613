import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SrcwatchConfig } from "../core/config";
import { listSourceHosts } from "../sources/http/list-source-hosts";
import { createJune2023Timeline } from "./scenarios/june-2023";
import { computeMirrorPublications } from "./scenarios/mirror-publications";

const DEMO_CONFIG_PATH = path.join(import.meta.dirname, "..", "config", "demo.json");

describe("config/demo.json", () => {
  const config = SrcwatchConfig.parse(JSON.parse(readFileSync(DEMO_CONFIG_PATH, "utf8")));

  it("is a valid srcwatch config", () => {
    expect(config.upstreams.map((upstream) => upstream.id)).toEqual(["redhat-csaf"]);
    expect(config.mirrors.map((mirror) => mirror.id)).toEqual([
      "git.centos.org",
      "centos-stream",
      "oracle-srpms",
      "almalinux-errata",
      "rocky-errata",
      "openela",
    ]);
  });

  it("points every source at the simulator on port 4010", () => {
    const [upstream] = config.upstreams;
    const [mirror] = config.mirrors;
    expect(upstream).toMatchObject({
      baseUrl: "http://127.0.0.1:4010/csaf/v2/advisories/",
      startDate: "2023-04-01",
      majors: [8, 9],
      pollIntervalSeconds: 3600,
    });
    expect(mirror).toMatchObject({
      repoUrlTemplate: "http://127.0.0.1:4010/rpms/{name}.git",
      tagTemplate: "imports/c{major}/{nvr}",
      tagWebUrlTemplate: "http://127.0.0.1:4010/rpms/{name}/c/{sha}",
      pagureApiUrl: "http://127.0.0.1:4010/api/0",
      streams: ["main"],
      expectedLagHours: 48,
      missingAfterHours: 168,
      staleAfterMinutes: 2880,
      pollIntervalSeconds: 1800,
    });
  });

  it("lets every source reach the simulator on loopback, and only its host", () => {
    for (const source of [...config.upstreams, ...config.mirrors]) {
      expect(source.egress, source.id).toEqual({ allowedHosts: [], allowPrivateNetwork: true });
      expect(listSourceHosts(source), source.id).toEqual(["127.0.0.1:4010"]);
    }
  });

  it("tracks the simulated OpenELA from the day it starts importing, as config/srcwatch.json tracks the real one", () => {
    // The simulator's OpenELA begins on 2023-07-10 (simulator/scenarios/mirror-publications.ts); the real one published its
    // first imports on 2023-11-01 (config/srcwatch.json). Updates released before are not applicable unless it has them.
    const openela = config.mirrors.find((mirror) => mirror.id === "openela")!;
    expect(openela.trackedFrom).toBe("2023-07-10");
    const imports = computeMirrorPublications(createJune2023Timeline(), "openela").map((publication) => publication.publishedAt.getTime());
    const trackedFromMs = Date.parse(openela.trackedFrom!);
    expect(Math.min(...imports)).toBeGreaterThanOrEqual(trackedFromMs);
    expect(Math.min(...imports)).toBeLessThan(trackedFromMs + 86_400_000);
    expect(config.mirrors.filter((mirror) => mirror.trackedFrom).map((mirror) => mirror.id)).toEqual(["openela"]);
  });
});
