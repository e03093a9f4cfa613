import { describe, expect, it } from "vitest";
import { MirrorConfig, UpstreamConfig } from "../../core/config";
import { listSourceHosts, type SourceConfig, type SourceKind } from "./list-source-hosts";

const upstreamBase = { name: "n", startDate: "2023-01-01", majors: [8, 9] };
const mirrorBase = { name: "n", majors: [8, 9] };

/** One config of every kind, with the hosts it must be allowed to reach: a new kind does not type-check until added. */
const SAMPLES: { [Kind in SourceKind]: { config: Record<string, unknown>; hosts: string[] } } = {
  csaf: {
    config: { ...upstreamBase, baseUrl: "https://security.access.redhat.com/data/csaf/v2/advisories/" },
    hosts: ["security.access.redhat.com"],
  },
  osv: {
    config: {
      ...upstreamBase,
      baseUrl: "https://security.access.redhat.com/data/osv/",
      indexUrl: "https://index.example.org:8443/modified_id.csv",
    },
    hosts: ["security.access.redhat.com", "index.example.org:8443"],
  },
  updateinfo: {
    config: { ...upstreamBase, repoUrlTemplates: ["https://cdn{major}.example.org/rhel{major}/BaseOS/"] },
    hosts: ["cdn8.example.org", "cdn9.example.org"],
  },
  "git-forge": {
    config: {
      ...mirrorBase,
      repoUrlTemplate: "https://git.centos.org/rpms/{name}.git",
      tagTemplate: "imports/c{major}/{nvr}",
      tagWebUrlTemplate: "https://web.example.org/{name}/c/{sha}",
      pagureApiUrl: "https://pagure.example.org/api/0",
    },
    hosts: ["git.centos.org", "pagure.example.org"],
  },
  gitlab: {
    config: {
      ...mirrorBase,
      apiUrl: "https://gitlab.com/api/v4",
      projectPathTemplate: "redhat/centos-stream/rpms/{name}",
      tagTemplate: "{nvr}",
      tagWebUrlTemplate: "https://gitlab.com/{name}/-/tags/{tag}",
    },
    hosts: ["gitlab.com"],
  },
  "yum-repo": {
    config: { ...mirrorBase, repoUrlTemplates: ["https://vault.example.org/{major}/BaseOS/Source/", "http://127.0.0.1:4010/yum/{major}/"] },
    hosts: ["vault.example.org", "127.0.0.1:4010"],
  },
  "srpm-index": {
    config: { ...mirrorBase, indexUrlTemplate: "https://oss.oracle.com/ol{major}/SRPMS-updates/" },
    hosts: ["oss.oracle.com"],
  },
  "almalinux-errata": {
    config: {
      ...mirrorBase,
      errataUrlTemplate: "https://errata.almalinux.org/{major}/errata.full.json",
      erratumWebUrlTemplate: "https://web.example.org/{major}/{idUnderscore}.html",
    },
    hosts: ["errata.almalinux.org"],
  },
  "rocky-apollo": {
    config: { ...mirrorBase, apiUrl: "https://apollo.build.resf.org/api/v3", erratumWebUrlTemplate: "https://web.example.org/{id}" },
    hosts: ["apollo.build.resf.org"],
  },
};

function parseSample(kind: SourceKind): SourceConfig {
  const raw = { id: `sample-${kind}`, kind, ...SAMPLES[kind].config };
  const upstream = UpstreamConfig.safeParse(raw);
  return upstream.success ? upstream.data : MirrorConfig.parse(raw);
}

describe("listSourceHosts", () => {
  it("has a sample for every upstream and mirror kind of the config schema", () => {
    const schemaKinds = [...UpstreamConfig.options, ...MirrorConfig.options].map((option) => option.shape.kind.value);
    expect(Object.keys(SAMPLES).sort()).toEqual([...schemaKinds].sort());
  });

  it.each(Object.keys(SAMPLES) as SourceKind[])("lists the fetched hosts of a %s source and none of its web-page links", (kind) => {
    expect(listSourceHosts(parseSample(kind)).sort()).toEqual([...SAMPLES[kind].hosts].sort());
  });
});

describe("the shipped config/srcwatch.json", () => {
  it("keeps every source on public addresses of its own https hosts", async () => {
    const { loadConfig } = await import("../../server/config/load-config");
    const config = loadConfig("config/srcwatch.json");
    for (const source of [...config.upstreams, ...config.mirrors]) {
      expect(source.egress.allowPrivateNetwork, source.id).toBe(false);
      expect(listSourceHosts(source).length, source.id).toBeGreaterThan(0);
      expect(
        listSourceHosts(source).every((host) => /^[a-z0-9.-]+\.[a-z]{2,}$/.test(host)),
        source.id,
      ).toBe(true);
    }
  });
});

describe("egress.allowedHosts in a source's config", () => {
  const parseWithAllowedHosts = (allowedHosts: string[]) =>
    MirrorConfig.safeParse({
      id: "m",
      kind: "gitlab",
      name: "m",
      majors: [9],
      apiUrl: "https://gitlab.com/api/v4",
      projectPathTemplate: "{name}",
      tagTemplate: "{nvr}",
      tagWebUrlTemplate: "x",
      egress: { allowedHosts },
    });

  it.each(["cdn.example.net", "*.cdn.example.net", "mirror.example.org:8443", "[2001:db8::1]:8080", "192.0.2.10"])("accepts %s", (host) => {
    expect(parseWithAllowedHosts([host]).success).toBe(true);
  });

  it.each(["https://cdn.example.net", "cdn.example.net/path", "user@cdn.example.net", "cdn example", ""])("refuses %j", (host) => {
    expect(parseWithAllowedHosts([host]).success).toBe(false);
  });

  it("defaults to the source's own hosts only, on public addresses", () => {
    expect(parseSample("gitlab").egress).toEqual({ allowedHosts: [], allowPrivateNetwork: false });
  });
});
