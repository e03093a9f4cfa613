import { describe, expect, it } from "vitest";
import { createLinkPolicy } from "../core/check-link";
import type { Evidence } from "../core/types";
import { checkEvidenceLinks } from "./check-evidence-links";

function build(ref: string, url: string | null): Evidence {
  return {
    evidenceKind: "package",
    name: "bash",
    epoch: 0,
    version: "5.1.8",
    release: "6.el9_1",
    major: 9,
    moduleStream: null,
    ref,
    url,
    commitSha: null,
    publishedAt: null,
    publishedAtOrigin: null,
  };
}

describe("checkEvidenceLinks", () => {
  const policy = createLinkPolicy(["https://repo.almalinux.org/almalinux/{major}/BaseOS/Source/"]);

  it("keeps links on the mirror's hosts and drops the others to null, reporting each with its ref", () => {
    const result = checkEvidenceLinks(
      [
        build("a", "https://repo.almalinux.org/almalinux/9/BaseOS/Source/Packages/bash.src.rpm"),
        build("b", "https://evil.example/bash.src.rpm"),
        build("c", "http://repo.almalinux.org/almalinux/9/BaseOS/Source/Packages/bash.src.rpm"),
        build("d", "javascript:alert(1)"),
        build("e", null),
      ],
      policy,
    );
    expect(result.builds.map((entry) => entry.url)).toEqual([
      "https://repo.almalinux.org/almalinux/9/BaseOS/Source/Packages/bash.src.rpm",
      null,
      null,
      null,
      null,
    ]);
    expect(result.refusedLinks).toEqual([
      { item: "b", url: "https://evil.example/bash.src.rpm" },
      { item: "c", url: "http://repo.almalinux.org/almalinux/9/BaseOS/Source/Packages/bash.src.rpm" },
      { item: "d", url: "javascript:alert(1)" },
    ]);
  });
});
