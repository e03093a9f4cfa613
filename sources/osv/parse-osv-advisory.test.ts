import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { samplePath } from "../../test/samples/path";
import { parseOsvAdvisory } from "./parse-osv-advisory";

const readSample = (file: string) => JSON.parse(readFileSync(samplePath("redhat-osv", file), "utf8")) as Record<string, unknown>;

function createRecord(overrides: Record<string, unknown> = {}) {
  return {
    id: "RHSA-2023:3722",
    summary: "Red Hat Security Advisory: Important: kernel security update",
    published: "2023-06-20T10:00:00Z",
    modified: "2023-06-21T10:00:00Z",
    related: ["CVE-2023-0001"],
    references: [],
    affected: [
      {
        package: { name: "kernel", ecosystem: "Red Hat:enterprise_linux:9::baseos" },
        ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: "0:5.14.0-284.18.1.el9_2" }] }],
      },
      {
        package: { name: "kernel-core", ecosystem: "Red Hat:enterprise_linux:9::baseos" },
        ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: "0:5.14.0-284.18.1.el9_2" }] }],
      },
      {
        package: { name: "perf", ecosystem: "Red Hat:enterprise_linux:9::appstream" },
        ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: "0:5.14.0-284.18.1.el9_2" }] }],
      },
      {
        package: { name: "bpftool", ecosystem: "Red Hat:enterprise_linux:9::baseos" },
        ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: "0:7.0.0-284.18.1.el9_2" }] }],
      },
      {
        package: { name: "kernel", ecosystem: "Red Hat:enterprise_linux:8::baseos" },
        ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: "0:4.18.0-477.15.1.el8_8" }] }],
      },
    ],
    ...overrides,
  };
}

describe("parseOsvAdvisory", () => {
  it("reads the real podman EUS record as one source package with its epoch, from eleven binary entries", () => {
    const result = parseOsvAdvisory(readSample("RHSA-2024_8709.json"), { majors: [8, 9] });

    expect(result).toEqual({
      ok: true,
      advisory: {
        id: "RHSA-2024:8709",
        type: "security",
        severity: "Important",
        title: "Red Hat Security Advisory: podman security update",
        issuedAt: new Date("2024-10-31T16:35:50Z"),
        updatedAt: new Date("2024-10-31T16:35:50Z"),
        url: "https://access.redhat.com/errata/RHSA-2024:8709",
        cves: ["CVE-2024-9675"],
        packages: [
          { name: "podman", epoch: 2, version: "4.4.1", release: "21.el9_2", major: 9, minor: "9.2", stream: "EUS", moduleStream: null },
        ],
      },
    });
  });

  it("finds linux-firmware in the real bug-fix record although its subpackages carry versions of their own", () => {
    const result = parseOsvAdvisory(readSample("RHBA-2024_6202.json"), { majors: [8, 9] });

    expect(result.ok && result.advisory?.type).toBe("bugfix");
    expect(result.ok && result.advisory?.severity).toBeNull();
    expect(result.ok && result.advisory?.packages).toEqual([
      {
        name: "linux-firmware",
        epoch: 0,
        version: "20240715",
        release: "118.2.git4c8fb21e.el8_8",
        major: 8,
        minor: "8.8",
        stream: "EUS",
        moduleStream: null,
      },
    ]);
  });

  it("drops the real OpenShift enhancement record (not RHEL)", () => {
    expect(parseOsvAdvisory(readSample("RHEA-2024_1870.json"), { majors: [8, 9] })).toEqual({ ok: true, advisory: null });
  });

  it("keeps only the wanted majors", () => {
    const result = parseOsvAdvisory(readSample("RHSA-2024_8709.json"), { majors: [8] });

    expect(result).toEqual({ ok: true, advisory: null });
  });

  it("groups binaries per product and fixed version, names the build after the summary and drops unnamed subpackage builds", () => {
    const result = parseOsvAdvisory(createRecord(), { majors: [8, 9] });

    expect(result.ok && result.advisory?.severity).toBe("Important");
    expect(
      result.ok &&
        result.advisory?.packages.map((item) => `${item.name}-${item.epoch}:${item.version}-${item.release} ${item.major} ${item.stream}`),
    ).toEqual(["kernel-0:5.14.0-284.18.1.el9_2 9 main", "kernel-0:4.18.0-477.15.1.el8_8 8 main"]);
  });

  it("names a build after the binary that prefixes all others when the summary names none", () => {
    const record = createRecord({
      summary: "Red Hat Security Advisory: security update",
      affected: [
        {
          package: { name: "podman-docker", ecosystem: "Red Hat:enterprise_linux:9::appstream" },
          ranges: [{ type: "ECOSYSTEM", events: [{ fixed: "2:4.6.1-5.el9" }] }],
        },
        {
          package: { name: "podman", ecosystem: "Red Hat:enterprise_linux:9::appstream" },
          ranges: [{ type: "ECOSYSTEM", events: [{ fixed: "2:4.6.1-5.el9" }] }],
        },
        {
          package: { name: "buildah", ecosystem: "Red Hat:enterprise_linux:9::appstream" },
          ranges: [{ type: "ECOSYSTEM", events: [{ fixed: "2:1.31.3-1.el9" }] }],
        },
      ],
    });

    const result = parseOsvAdvisory(record, { majors: [9] });

    expect(result.ok && result.advisory?.packages.map((item) => item.name)).toEqual(["podman", "buildah"]);
  });

  it("reads the module stream from an rpmmod purl qualifier", () => {
    const record = createRecord({
      summary: "Red Hat Security Advisory: ruby:3.1 security update",
      affected: [
        {
          package: {
            name: "ruby",
            ecosystem: "Red Hat:enterprise_linux:8::appstream",
            purl: "pkg:rpm/redhat/ruby?rpmmod=ruby:3.1:8090020240311122605:a75119d5",
          },
          ranges: [{ type: "ECOSYSTEM", events: [{ fixed: "0:3.1.4-143.module+el8.9.0+21471+7d1e4a35" }] }],
        },
      ],
    });

    const result = parseOsvAdvisory(record, { majors: [8] });

    expect(result.ok && result.advisory?.packages[0]).toMatchObject({ name: "ruby", moduleStream: "ruby:3.1", major: 8 });
  });

  it.each([
    ["no id", { id: undefined }],
    ["a non-Red Hat id", { id: "ALSA-2023:3722" }],
    ["a published time that is not a time", { published: "yesterday" }],
    ["affected that is not a list", { affected: { name: "kernel" } }],
  ])("rejects a record with %s as invalid data", (_label, overrides) => {
    const result = parseOsvAdvisory(createRecord(overrides), { majors: [9] });

    expect(result).toMatchObject({ ok: false, error: { kind: "invalid_data" } });
  });

  it("rejects a fixed version without an epoch, which Red Hat always writes", () => {
    const record = createRecord({
      affected: [
        {
          package: { name: "kernel", ecosystem: "Red Hat:enterprise_linux:9::baseos" },
          ranges: [{ type: "ECOSYSTEM", events: [{ fixed: "5.14.0-284.18.1.el9_2" }] }],
        },
      ],
    });

    expect(parseOsvAdvisory(record, { majors: [9] })).toMatchObject({
      ok: false,
      error: {
        kind: "invalid_data",
        message: expect.stringContaining("a fixed version of affected package #1 is not epoch:version-release"),
      },
    });
  });

  it("rejects something that is not an object", () => {
    expect(parseOsvAdvisory("<html>", { majors: [9] })).toMatchObject({ ok: false, error: { kind: "invalid_data" } });
  });
});

describe("parseOsvAdvisory's advisory link", () => {
  const links = { advisoryUrlTemplate: "https://access.redhat.com/errata/{id}", advisoryLinkHosts: ["access.redhat.com"] };
  const withReference = (url: string) => createRecord({ references: [{ type: "ADVISORY", url }] });

  it("keeps the record's own errata link when it is https on an allowed host", () => {
    const result = parseOsvAdvisory(withReference("https://access.redhat.com/errata/RHSA-2023:3722"), { majors: [9], links });
    expect(result).toMatchObject({ ok: true, advisory: { url: "https://access.redhat.com/errata/RHSA-2023:3722" } });
    expect(result).not.toHaveProperty("refusedUrl");
  });

  it.each(["javascript:alert(document.domain)//errata/RHSA-2023:3722", "https://access.redhat.com.evil.example/errata/RHSA-2023:3722"])(
    "refuses %s and builds the link from the template",
    (url) => {
      expect(parseOsvAdvisory(withReference(url), { majors: [9], links })).toMatchObject({
        ok: true,
        advisory: { url: "https://access.redhat.com/errata/RHSA-2023:3722" },
        refusedUrl: url,
      });
    },
  );
});
