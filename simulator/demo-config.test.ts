import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SrcwatchConfig } from "../core/config";
import { listSourceHosts } from "../sources/http/list-source-hosts";

const DEMO_CONFIG_PATH = path.join(import.meta.dirname, "..", "config", "demo.json");

describe("config/demo.json", () => {
  const config = SrcwatchConfig.parse(JSON.parse(readFileSync(DEMO_CONFIG_PATH, "utf8")));

  it("is a valid srcwatch config", () => {
    expect(config.upstreams.map((upstream) => upstream.id)).toEqual(["redhat-csaf"]);
    expect(config.mirrors.map((mirror) => mirror.id)).toEqual(["git.centos.org", "centos-stream", "oracle-srpms", "almalinux-errata", "rocky-errata", "openela"]);
  });

  it("points every source at the simulator on port 4010", () => {
    const [upstream] = config.upstreams;
    const [mirror] = config.mirrors;
    expect(upstream).toMatchObject({ baseUrl: "http://127.0.0.1:4010/csaf/v2/advisories/", startDate: "2023-04-01", majors: [8, 9], pollIntervalSeconds: 3600 });
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
});
