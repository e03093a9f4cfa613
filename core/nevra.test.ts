import { describe, expect, it } from "vitest";
import { distMajor, findDistStream, formatNevra, formatNvr, parseNevra, parseNvr, sameStream } from "./nevra";

describe("parseNvr", () => {
  it.each([
    ["bash-4.4.20-4.el8_6", { name: "bash", version: "4.4.20", release: "4.el8_6" }],
    ["python3.9-3.9.18-3.el9_4.5", { name: "python3.9", version: "3.9.18", release: "3.el9_4.5" }],
    ["java-1.8.0-openjdk-1.8.0.392.b08-2.el7_9", { name: "java-1.8.0-openjdk", version: "1.8.0.392.b08", release: "2.el7_9" }],
    [
      "rubygem-abrt-0.4.0-1.module+el8.9.0+21471+7d1e4a35",
      { name: "rubygem-abrt", version: "0.4.0", release: "1.module+el8.9.0+21471+7d1e4a35" },
    ],
    ["libstdc++-8.5.0-20.el8", { name: "libstdc++", version: "8.5.0", release: "20.el8" }],
  ])("splits %s on its last two dashes", (text, expected) => {
    expect(parseNvr(text)).toEqual(expected);
  });

  it.each(["bash", "bash-4.4.20", "-4.4.20-4.el8", "bash--4.el8", "bash-4.4.20-", "bash-0:4.4.20-4.el8"])("rejects %s", (text) => {
    expect(parseNvr(text)).toBeNull();
  });
});

describe("parseNevra", () => {
  it.each([
    ["bash-0:4.4.20-4.el8_6", { name: "bash", epoch: 0, version: "4.4.20", release: "4.el8_6", arch: null }],
    ["bash-4.4.20-4.el8_6", { name: "bash", epoch: 0, version: "4.4.20", release: "4.el8_6", arch: null }],
    ["bind-32:9.8.2-0.68.rc1.el6_10.17.src", { name: "bind", epoch: 32, version: "9.8.2", release: "0.68.rc1.el6_10.17", arch: "src" }],
    ["kernel-0:4.18.0-193.119.1.el8_2.src", { name: "kernel", epoch: 0, version: "4.18.0", release: "193.119.1.el8_2", arch: "src" }],
    [
      "ruby-2.7.8-139.module+el8.8.0+18745+f1bef313.src.rpm",
      { name: "ruby", epoch: 0, version: "2.7.8", release: "139.module+el8.8.0+18745+f1bef313", arch: "src" },
    ],
    ["delve-0:1.25.2-1.el10_1.src.rpm", { name: "delve", epoch: 0, version: "1.25.2", release: "1.el10_1", arch: "src" }],
    [
      "python3-gevent-0:21.1.2-2.el9ost.x86_64",
      { name: "python3-gevent", epoch: 0, version: "21.1.2", release: "2.el9ost", arch: "x86_64" },
    ],
    ["2:podman-4.4.1-21.el9_2.noarch", { name: "podman", epoch: 2, version: "4.4.1", release: "21.el9_2", arch: "noarch" }],
    ["tigervnc-1.13.1-3.el9_3.3", { name: "tigervnc", epoch: 0, version: "1.13.1", release: "3.el9_3.3", arch: null }],
  ])("parses %s", (text, expected) => {
    expect(parseNevra(text)).toEqual(expected);
  });

  it.each(["bash", "bash-4.4.20-4.el8.foo.rpm", "1:bash-2:4.4.20-4.el8", "bash-x:4.4.20-4.el8", "bash-0:4.4.20"])("rejects %s", (text) => {
    expect(parseNevra(text)).toBeNull();
  });

  it("round-trips through formatNevra", () => {
    const text = "openssl-1:1.1.1k-12.el8_9";
    expect(formatNevra(parseNevra(text)!)).toBe(text);
  });
});

describe("formatNevra and formatNvr", () => {
  const bash = { name: "bash", epoch: 0, version: "4.4.20", release: "4.el8_6" };

  it("writes the epoch even when it is 0", () => {
    expect(formatNevra(bash)).toBe("bash-0:4.4.20-4.el8_6");
  });

  it("writes name-version-release without the epoch", () => {
    expect(formatNvr(bash)).toBe("bash-4.4.20-4.el8_6");
  });
});

describe("distMajor", () => {
  it.each([
    ["4.el8_6", 8],
    ["1.el9", 9],
    ["142.module+el8.9.0+21471+7d1e4a35", 8],
    ["6.module_el8.5.0+2632+14ced695", 8],
    ["1.el10_1", 10],
    ["553.121.1.el8_10", 8],
    ["0.68.rc1.el6_10.17", 6],
    ["3.el9_4.alma.1", 9],
    ["65.0.1.module+el8.10.0+90356+f7b9d583", 8],
    ["2.el9ost", null],
    ["1.fc39", null],
    ["1", null],
    ["3.el7a", null],
  ])("reads the RHEL major of %s as %s", (release, expected) => {
    expect(distMajor(release)).toBe(expected);
  });
});

describe("findDistStream", () => {
  it.each([
    ["4.el8", "el8"],
    ["4.el8_6", "el8_6"],
    ["4.el8_6.1", "el8_6"],
    ["1.el10_1", "el10_1"],
    ["142.module+el8.9.0+21471+7d1e4a35", "module+el8.9"],
    ["6.module_el8.10.0+2632+14ced695", "module+el8.10"],
    ["2.el9ost", null],
  ])("reads the stream of %s as %s", (release, expected) => {
    expect(findDistStream(release)).toBe(expected);
  });
});

describe("sameStream", () => {
  it.each([
    ["4.el8_6", "5.el8_6", true],
    ["4.el8_6", "4.el8", false],
    ["4.el8", "4.el8_6", false],
    ["1.el8_9", "1.el8_10", false],
    ["1.el8_1", "1.el8_10", false],
    ["3.el9_3.3", "3.el9_3.10", true],
    ["3.el9_4", "3.el9_4.alma.1", true],
    ["142.module+el8.9.0+21471+7d1e4a35", "143.module+el8.9.0+22000+0badc0de", true],
    ["142.module+el8.9.0+21471+7d1e4a35", "142.module+el8.10.0+21471+7d1e4a35", false],
    ["142.module+el8.9.0+21471+7d1e4a35", "142.el8_9", false],
    ["1.el9", "1.el8", false],
    ["1", "2", true],
  ])("says %s and %s are in the same stream: %s", (a, b, expected) => {
    expect(sameStream(a, b)).toBe(expected);
  });
});
