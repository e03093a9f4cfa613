import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig, parseConfig } from "./load-config";

const ROOT = path.resolve(import.meta.dirname, "../..");

describe("loadConfig", () => {
  it("accepts the shipped config of the real sources and the demo config", () => {
    const real = loadConfig(path.join(ROOT, "config/srcwatch.json"));
    expect(real.upstreams[0]).toMatchObject({ kind: "csaf", baseUrl: "https://security.access.redhat.com/data/csaf/v2/advisories/" });
    expect(real.mirrors.map((mirror) => mirror.id)).toContain("git.centos.org");
    const demo = loadConfig(path.join(ROOT, "config/demo.json"));
    expect(JSON.stringify(demo.mirrors)).not.toMatch(/https:\/\//);
  });

  it("names every offending field", () => {
    const config = loadConfig(path.join(ROOT, "config/srcwatch.json"));
    const broken = JSON.parse(JSON.stringify(config));
    broken.mirrors[0].tagTemplate = "imports/c{major}/";
    broken.mirrors[0].majors = [];
    broken.upstreams[0].startDate = "yesterday";
    expect(() => parseConfig(broken, "broken.json")).toThrowError(
      /broken\.json[\s\S]*mirrors\.0\.tagTemplate[\s\S]*mirrors\.0\.majors|broken\.json[\s\S]*upstreams\.0\.startDate/,
    );
    try {
      parseConfig(broken, "broken.json");
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain("mirrors.0.tagTemplate");
      expect(message).toContain("mirrors.0.majors");
      expect(message).toContain("upstreams.0.startDate");
    }
  });

  it("rejects two sources with the same id", () => {
    const config = loadConfig(path.join(ROOT, "config/srcwatch.json"));
    const twice = { ...config, mirrors: [config.mirrors[0], config.mirrors[0]] };
    expect(() => parseConfig(twice)).toThrowError(/mirrors\.1\.id: duplicate id "git\.centos\.org"/);
  });

  it("says which file is not JSON", () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "srcwatch-config-")), "bad.json");
    writeFileSync(file, "{ upstreams: ");
    expect(() => loadConfig(file)).toThrowError(/bad\.json is not valid JSON/);
    expect(() => loadConfig(path.join(os.tmpdir(), "does-not-exist.json"))).toThrowError(/Cannot read config file/);
  });
});
