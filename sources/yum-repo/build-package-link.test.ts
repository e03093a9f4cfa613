import { describe, expect, it } from "vitest";
import { buildPackageLink } from "./build-package-link";

const ROOT = "https://repo.almalinux.org/almalinux/9/BaseOS/Source/";

describe("buildPackageLink", () => {
  it.each([
    [
      "a location under the root",
      { href: "Packages/bash-5.1.8-6.el9_1.src.rpm", base: null },
      `${ROOT}Packages/bash-5.1.8-6.el9_1.src.rpm`,
    ],
    [
      "an xml:base on the repository's host",
      { href: "bash.src.rpm", base: "https://repo.almalinux.org/vault/9.1/BaseOS/Source/" },
      "https://repo.almalinux.org/vault/9.1/BaseOS/Source/bash.src.rpm",
    ],
    [
      "an xml:base on another host: the root instead",
      { href: "Packages/bash.src.rpm", base: "https://evil.example/x/" },
      `${ROOT}Packages/bash.src.rpm`,
    ],
    [
      "an xml:base that is javascript: the root instead",
      { href: "Packages/bash.src.rpm", base: "javascript:alert(1)//" },
      `${ROOT}Packages/bash.src.rpm`,
    ],
  ])("links %s", (_case, location, expected) => {
    expect(buildPackageLink(location, ROOT)).toBe(expected);
  });

  it("returns what an absolute location names, for the mirror's link policy to refuse when it is off the mirror's hosts", () => {
    expect(buildPackageLink({ href: "https://evil.example/bash.src.rpm", base: null }, ROOT)).toBe("https://evil.example/bash.src.rpm");
    expect(buildPackageLink({ href: "javascript:alert(1)", base: "https://evil.example/" }, ROOT)).toBe("javascript:alert(1)");
  });

  it("returns null for a location that is no URL at all", () => {
    expect(buildPackageLink({ href: "http://[::1", base: null }, ROOT)).toBeNull();
  });
});
