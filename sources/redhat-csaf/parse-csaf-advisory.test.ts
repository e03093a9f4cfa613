import { SAMPLES_DIR } from "../../test/samples/path";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { UpstreamAdvisory, UpstreamPackage } from "../../core/types";
import { parseCsafAdvisory } from "./parse-csaf-advisory";

const samplesDir = path.join(SAMPLES_DIR, "redhat-csaf");
const readSample = (file: string): unknown => JSON.parse(readFileSync(path.join(samplesDir, file), "utf8"));
const ALL_MAJORS = [6, 7, 8, 9, 10];

function pkg(nevra: string, rest: Pick<UpstreamPackage, "major" | "stream" | "minor"> & { moduleStream?: string }): UpstreamPackage {
  const match = /^(.+)-(\d+):([^-]+)-([^-]+)$/.exec(nevra)!;
  return { name: match[1], epoch: Number(match[2]), version: match[3], release: match[4], moduleStream: null, ...rest };
}

type Expected = Omit<UpstreamAdvisory, "issuedAt" | "updatedAt" | "url"> & { issuedAt: string; updatedAt: string };

const ruby27 = { major: 8, stream: "main", minor: "8.8", moduleStream: "ruby:2.7" } as const;
const ruby31 = { major: 8, stream: "main", minor: "8.9", moduleStream: "ruby:3.1" } as const;

const expectedByFile: Record<string, Expected | null> = {
  "rhsa-2023_3821.TRIMMED-src-only.json": {
    id: "RHSA-2023:3821",
    type: "security",
    severity: "Moderate",
    title: "Red Hat Security Advisory: ruby:2.7 security, bug fix, and enhancement update",
    issuedAt: "2023-06-27T15:16:35.000Z",
    updatedAt: "2025-09-10T15:00:21.000Z",
    cves: ["CVE-2021-33621", "CVE-2023-28755", "CVE-2023-28756"],
    packages: [
      pkg("ruby-0:2.7.8-139.module+el8.8.0+18745+f1bef313", ruby27),
      pkg("rubygem-abrt-0:0.4.0-1.module+el8.3.0+7192+4e3a532a", ruby27),
      pkg("rubygem-bson-0:4.8.1-1.module+el8.3.0+7192+4e3a532a", ruby27),
      pkg("rubygem-mongo-0:2.11.3-1.module+el8.3.0+7192+4e3a532a", ruby27),
      pkg("rubygem-mysql2-0:0.5.3-1.module+el8.3.0+7192+4e3a532a", ruby27),
      pkg("rubygem-pg-0:1.2.3-1.module+el8.3.0+7192+4e3a532a", ruby27),
    ],
  },
  "rhsa-2023_7434.minified.json": {
    id: "RHSA-2023:7434",
    type: "security",
    severity: "Important",
    title: "Red Hat Security Advisory: kernel security and bug fix update",
    issuedAt: "2023-11-21T15:36:34.000Z",
    updatedAt: "2024-04-28T03:08:14.000Z",
    cves: ["CVE-2023-1829", "CVE-2023-3609", "CVE-2023-3776", "CVE-2023-4004"],
    packages: (["AUS", "E4S", "TUS"] as const).map((stream) => pkg("kernel-0:4.18.0-193.119.1.el8_2", { major: 8, stream, minor: "8.2" })),
  },
  "rhsa-2023_7436.json": {
    id: "RHSA-2023:7436",
    type: "security",
    severity: "Important",
    title: "Red Hat Security Advisory: tigervnc security update",
    issuedAt: "2023-11-21T15:33:59.000Z",
    updatedAt: "2024-04-28T03:07:56.000Z",
    cves: ["CVE-2023-5367"],
    packages: (["AUS", "E4S", "TUS"] as const).map((stream) => pkg("tigervnc-0:1.9.0-15.el8_2.4", { major: 8, stream, minor: "8.2" })),
  },
  "rhsa-2023_7438.json": null,
  "rhsa-2024_0010.json": {
    id: "RHSA-2024:0010",
    type: "security",
    severity: "Important",
    title: "Red Hat Security Advisory: tigervnc security update",
    issuedAt: "2024-01-02T08:58:34.000Z",
    updatedAt: "2024-11-23T02:54:26.000Z",
    cves: ["CVE-2023-5367", "CVE-2023-6377", "CVE-2023-6478"],
    packages: [pkg("tigervnc-0:1.13.1-3.el9_3.3", { major: 9, stream: "main", minor: "9.3" })],
  },
  "rhsa-2024_1431.TRIMMED-src-only.json": {
    id: "RHSA-2024:1431",
    type: "security",
    severity: "Moderate",
    title: "Red Hat Security Advisory: ruby:3.1 security, bug fix, and enhancement update",
    issuedAt: "2024-03-19T18:46:43.000Z",
    updatedAt: "2026-04-01T19:04:12.000Z",
    cves: ["CVE-2021-33621", "CVE-2023-28755", "CVE-2023-28756", "CVE-2023-36617"],
    packages: [
      pkg("ruby-0:3.1.4-142.module+el8.9.0+21471+7d1e4a35", ruby31),
      pkg("rubygem-abrt-0:0.4.0-1.module+el8.9.0+21471+7d1e4a35", ruby31),
      pkg("rubygem-mysql2-0:0.5.3-3.module+el8.9.0+21471+7d1e4a35", ruby31),
      pkg("rubygem-pg-0:1.3.2-1.module+el8.9.0+21471+7d1e4a35", ruby31),
    ],
  },
  "rhsa-2024_6163.json": {
    id: "RHSA-2024:6163",
    type: "security",
    severity: "Moderate",
    title: "Red Hat Security Advisory: python3.9 security update",
    issuedAt: "2024-09-03T17:57:24.000Z",
    updatedAt: "2026-03-26T18:50:03.000Z",
    cves: ["CVE-2024-8088"],
    packages: [pkg("python3.9-0:3.9.18-3.el9_4.5", { major: 9, stream: "main", minor: "9.4" })],
  },
  "rhsa-2024_9371.json": {
    id: "RHSA-2024:9371",
    type: "security",
    severity: "Moderate",
    title: "Red Hat Security Advisory: python3.9 security update",
    issuedAt: "2024-11-12T09:38:54.000Z",
    updatedAt: "2026-03-18T02:40:17.000Z",
    cves: ["CVE-2024-8088"],
    packages: [pkg("python3.9-0:3.9.19-8.el9", { major: 9, stream: "main", minor: "9.5" })],
  },
  "rhsa-2025_23414.json": {
    id: "RHSA-2025:23414",
    type: "security",
    severity: "Important",
    title: "Red Hat Security Advisory: bind security update",
    issuedAt: "2025-12-17T00:17:06.000Z",
    updatedAt: "2025-12-18T11:16:21.000Z",
    cves: ["CVE-2021-25220", "CVE-2025-40778"],
    packages: [pkg("bind-32:9.8.2-0.68.rc1.el6_10.17", { major: 6, stream: "ELS", minor: null })],
  },
};

describe("parseCsafAdvisory on the real samples", () => {
  const files = readdirSync(samplesDir)
    .filter((file) => file.endsWith(".json"))
    .sort();

  it("has an expectation for every sample file", () => {
    expect(files).toEqual(Object.keys(expectedByFile).sort());
  });

  it.each(files)("parses %s into the expected advisory", (file) => {
    const result = parseCsafAdvisory(readSample(file), { majors: ALL_MAJORS });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const expected = expectedByFile[file];
    if (expected === null) {
      expect(result.advisory).toBeNull();
      return;
    }
    const advisory = result.advisory!;
    expect({ ...advisory, issuedAt: advisory.issuedAt.toISOString(), updatedAt: advisory.updatedAt.toISOString() }).toEqual({
      ...expected,
      url: `https://access.redhat.com/errata/${expected.id}`,
    });
  });

  it("drops the OpenStack advisory even when its RHEL 9 base major is wanted", () => {
    expect(parseCsafAdvisory(readSample("rhsa-2023_7438.json"), { majors: [9] })).toEqual({ ok: true, advisory: null });
  });

  it("keeps the RHEL 6 ELS bind with epoch 32 only when major 6 is wanted", () => {
    const sample = readSample("rhsa-2025_23414.json");
    expect(parseCsafAdvisory(sample, { majors: [8, 9, 10] })).toEqual({ ok: true, advisory: null });
    const result = parseCsafAdvisory(sample, { majors: [6] });
    expect(result.ok && result.advisory?.packages.map((p) => [p.epoch, p.stream, p.major])).toEqual([[32, "ELS", 6]]);
  });

  it("keeps only the packages of the wanted majors", () => {
    expect(parseCsafAdvisory(readSample("rhsa-2024_0010.json"), { majors: [8] })).toEqual({ ok: true, advisory: null });
  });
});

describe("parseCsafAdvisory on malformed advisories", () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- walks malformed CSAF documents of any shape
  type Json = Record<string, any>;
  const tigervnc = () => readSample("rhsa-2024_0010.json") as Json;
  const srcProductOf = (json: Json) =>
    json.product_tree.branches[0].branches.find((branch: Json) => branch.name === "src").branches[0].product;

  it("rejects an advisory without tracking as invalid data", () => {
    const json = tigervnc();
    delete json.document.tracking;
    const result = parseCsafAdvisory(json, { majors: [9] });
    expect(result).toMatchObject({ ok: false, error: { kind: "invalid_data" } });
    expect(!result.ok && result.error.message).toContain("document.tracking");
  });

  it.each([
    ["without a version", "pkg:rpm/redhat/tigervnc?arch=src"],
    ["with a version but no release", "pkg:rpm/redhat/tigervnc@1.13.1?arch=src"],
    ["with a non-numeric epoch", "pkg:rpm/redhat/tigervnc@1.13.1-3.el9_3.3?arch=src&epoch=x"],
    ["with broken percent-encoding", "pkg:rpm/redhat/tigervnc@1.13.1-3.el9_3.3%E0%A4%A?arch=src"],
    ["of another type", "pkg:deb/debian/tigervnc@1.13.1-3?arch=source"],
  ])("rejects a source purl %s, naming the advisory without quoting the purl", (_what, purl) => {
    const json = tigervnc();
    srcProductOf(json).product_identification_helper.purl = purl;
    const result = parseCsafAdvisory(json, { majors: [9] });
    expect(result).toMatchObject({ ok: false, error: { kind: "invalid_data" } });
    expect(!result.ok && result.error.message).toMatch(
      new RegExp(`^RH[SBE]A-\\d{4}:\\d+: a source product has an invalid purl \\(${purl.length} characters\\)$`),
    );
    expect(!result.ok && result.error.message).not.toContain(purl);
  });

  it("rejects a RHEL source product without a purl", () => {
    const json = tigervnc();
    delete srcProductOf(json).product_identification_helper;
    expect(parseCsafAdvisory(json, { majors: [9] })).toMatchObject({ ok: false, error: { kind: "invalid_data" } });
  });

  it.each([null, "<html>Service unavailable</html>", [], { document: {} }])("rejects %j as invalid data", (json) => {
    expect(parseCsafAdvisory(json, { majors: [9] })).toMatchObject({ ok: false, error: { kind: "invalid_data" } });
  });

  it("reads a bug-fix advisory without severity", () => {
    const json = tigervnc();
    json.document.tracking.id = "RHBA-2024:0010";
    delete json.document.aggregate_severity;
    const result = parseCsafAdvisory(json, { majors: [9] });
    expect(result.ok && { type: result.advisory?.type, severity: result.advisory?.severity }).toEqual({ type: "bugfix", severity: null });
  });

  it("reads an enhancement advisory and capitalises a lower-case severity", () => {
    const json = tigervnc();
    json.document.tracking.id = "RHEA-2024:0010";
    json.document.aggregate_severity.text = "low";
    const result = parseCsafAdvisory(json, { majors: [9] });
    expect(result.ok && { type: result.advisory?.type, severity: result.advisory?.severity }).toEqual({
      type: "enhancement",
      severity: "Low",
    });
  });

  it("maps an unknown severity to null", () => {
    const json = tigervnc();
    json.document.aggregate_severity.text = "Unrated";
    const result = parseCsafAdvisory(json, { majors: [9] });
    expect(result.ok && result.advisory?.severity).toBeNull();
  });

  it("builds the errata URL when no self reference names it", () => {
    const json = tigervnc();
    json.document.references = json.document.references.filter((reference: Json) => reference.category !== "self");
    const result = parseCsafAdvisory(json, { majors: [9] });
    expect(result.ok && result.advisory?.url).toBe("https://access.redhat.com/errata/RHSA-2024:0010");
  });

  it("percent-decodes the name of a source package", () => {
    const json = tigervnc();
    srcProductOf(json).product_identification_helper.purl = "pkg:rpm/redhat/libstdc%2B%2B@8.5.0-20.el9_3?arch=src&epoch=1";
    const result = parseCsafAdvisory(json, { majors: [9] });
    expect(result.ok && result.advisory?.packages[0]).toMatchObject({ name: "libstdc++", epoch: 1, version: "8.5.0", release: "20.el9_3" });
  });

  it("derives major, minor and stream from the variant id when the product has no CPE", () => {
    const json = readSample("rhsa-2023_7436.json") as Json;
    const productNames = json.product_tree.branches[0].branches[0].branches;
    for (const branch of productNames) delete branch.product.product_identification_helper;
    const result = parseCsafAdvisory(json, { majors: [8] });
    expect(result.ok && result.advisory?.packages.map((p) => `${p.major} ${p.minor} ${p.stream}`)).toEqual([
      "8 8.2 AUS",
      "8 8.2 E4S",
      "8 8.2 TUS",
    ]);
  });

  it("ignores an odd purl on a product that is not RHEL", () => {
    const json = readSample("rhsa-2023_7438.json") as Json;
    srcProductOf(json).product_identification_helper.purl = "pkg:rpm/redhat/python-gevent?arch=src";
    expect(parseCsafAdvisory(json, { majors: [9] })).toEqual({ ok: true, advisory: null });
  });
});

describe("parseCsafAdvisory's advisory link", () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- walks malformed CSAF documents of any shape
  type Json = Record<string, any>;
  const withSelfLink = (url: string) => {
    const json = readSample("rhsa-2024_0010.json") as Json;
    json.document.references = json.document.references.map((reference: Json) =>
      reference.category === "self" && reference.url.includes("/errata/") ? { ...reference, url } : reference,
    );
    return json;
  };
  const links = { advisoryUrlTemplate: "https://access.redhat.com/errata/{id}", advisoryLinkHosts: ["access.redhat.com"] };

  it.each([
    ["a javascript: link", "javascript:alert(document.domain)//errata/RHSA-2024:0010"],
    ["an off-site https link", "https://access.redhat.com.evil.example/errata/RHSA-2024:0010"],
    ["an http downgrade", "http://access.redhat.com/errata/RHSA-2024:0010"],
  ])("refuses %s in the self reference and builds the link from the template", (_what, url) => {
    expect(parseCsafAdvisory(withSelfLink(url), { majors: [9], links })).toMatchObject({
      ok: true,
      advisory: { id: "RHSA-2024:0010", url: "https://access.redhat.com/errata/RHSA-2024:0010" },
      refusedUrl: url,
    });
  });

  it("uses the configured template and hosts", () => {
    const mirrorLinks = { advisoryUrlTemplate: "https://errata.example.org/{id}.html", advisoryLinkHosts: ["errata.example.org"] };
    expect(
      parseCsafAdvisory(withSelfLink("https://access.redhat.com/errata/RHSA-2024:0010"), { majors: [9], links: mirrorLinks }),
    ).toMatchObject({
      advisory: { url: "https://errata.example.org/RHSA-2024:0010.html" },
      refusedUrl: "https://access.redhat.com/errata/RHSA-2024:0010",
    });
  });
});
