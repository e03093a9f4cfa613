import { describe, expect, it } from "vitest";
import { MirrorConfig } from "./config";
import { describeExpectedSource } from "./describe-expected-source";

const kernel = { name: "kernel", version: "4.18.0", release: "477.15.1.el8_8", major: 8, moduleStream: null };

describe("describeExpectedSource", () => {
  it("names git.centos.org's import tag and the repository it is looked for in, modular builds by their stream", () => {
    const mirror = MirrorConfig.parse({
      id: "git.centos.org",
      kind: "git-forge",
      name: "git.centos.org",
      majors: [8, 9],
      repoUrlTemplate: "https://git.centos.org/rpms/{name}.git",
      tagTemplate: "imports/c{major}/{nvr}",
      moduleTagTemplate: "imports/c{major}-stream-{moduleStream}/{nvr}",
      tagWebUrlTemplate: "https://git.centos.org/rpms/{name}/c/{sha}",
    });
    expect(describeExpectedSource(mirror, kernel)).toEqual({
      expected: "tag imports/c8/kernel-4.18.0-477.15.1.el8_8",
      checkedUrl: "https://git.centos.org/rpms/kernel.git",
    });
    const ruby = { name: "ruby", version: "3.1.4", release: "141.module+el8.8.0+18745+f1bef313", major: 8, moduleStream: "3.1" };
    expect(describeExpectedSource(mirror, ruby).expected).toBe("tag imports/c8-stream-3.1/ruby-3.1.4-141.module+el8.8.0+18745+f1bef313");
    expect(describeExpectedSource(mirror, { ...kernel, name: "libsigc++20" }).checkedUrl).toBe(
      "https://git.centos.org/rpms/libsigc++20.git",
    );
  });

  it("names CentOS Stream's bare-NVR tag on its GitLab project page", () => {
    const mirror = MirrorConfig.parse({
      id: "centos-stream",
      kind: "gitlab",
      name: "CentOS Stream",
      majors: [9],
      relation: "related",
      apiUrl: "https://gitlab.com/api/v4",
      projectPathTemplate: "redhat/centos-stream/rpms/{name}",
      tagTemplate: "{nvr}",
      tagWebUrlTemplate: "https://gitlab.com/redhat/centos-stream/rpms/{name}/-/tags/{tag}",
    });
    expect(describeExpectedSource(mirror, { ...kernel, major: 9, release: "362.8.1.el9_3" })).toEqual({
      expected: "tag kernel-4.18.0-362.8.1.el9_3",
      checkedUrl: "https://gitlab.com/redhat/centos-stream/rpms/kernel",
    });
  });

  it("names the SRPM file in Oracle's index and the erratum AlmaLinux and Rocky should list, with the feeds checked", () => {
    const oracle = MirrorConfig.parse({
      id: "oracle",
      kind: "srpm-index",
      name: "Oracle Linux",
      majors: [8],
      indexUrlTemplate: "https://oss.oracle.com/ol{major}/SRPMS-updates/",
    });
    expect(describeExpectedSource(oracle, kernel)).toEqual({
      expected: "file kernel-4.18.0-477.15.1.el8_8.src.rpm",
      checkedUrl: "https://oss.oracle.com/ol8/SRPMS-updates/",
    });
    const alma = MirrorConfig.parse({
      id: "alma",
      kind: "almalinux-errata",
      name: "AlmaLinux",
      majors: [8],
      errataUrlTemplate: "https://errata.almalinux.org/{major}/errata.full.json",
      erratumWebUrlTemplate: "https://errata.almalinux.org/{major}/{idUnderscore}.html",
    });
    expect(describeExpectedSource(alma, kernel)).toEqual({
      expected: "an erratum listing kernel-4.18.0-477.15.1.el8_8",
      checkedUrl: "https://errata.almalinux.org/8/errata.full.json",
    });
    const yum = MirrorConfig.parse({
      id: "repo",
      kind: "yum-repo",
      name: "Repo",
      majors: [8],
      repoUrlTemplates: ["https://repo.example/{major}/SRPMS/"],
    });
    expect(describeExpectedSource(yum, kernel)).toEqual({
      expected: "file kernel-4.18.0-477.15.1.el8_8.src.rpm",
      checkedUrl: "https://repo.example/8/SRPMS/",
    });
  });
});
