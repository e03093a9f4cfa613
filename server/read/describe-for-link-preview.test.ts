import { describe, expect, it } from "vitest";
import type { AdvisoryDetailResponse } from "../../contract/advisory-dto";
import type { MirrorHistoryResponse } from "../../contract/mirror-history-dto";
import { describeAdvisory, describeMirror } from "./describe-for-link-preview";

const MIRRORS = [
  { id: "git.centos.org", name: "git.centos.org" },
  { id: "almalinux-errata", name: "AlmaLinux errata" },
  { id: "rocky-errata", name: "Rocky Linux errata" },
  { id: "openela", name: "OpenELA" },
];

/** Only what the description reads of an advisory's page. */
function advisoryDetail(input: { type?: string; severity?: string | null; title?: string | null; verdicts: [string, string][][] }) {
  return {
    advisory: {
      id: "RHSA-2023:3591",
      type: input.type ?? "security",
      severity: input.severity === undefined ? "Important" : input.severity,
      title: input.title === undefined ? "firefox security update" : input.title,
      issuedAt: "2023-06-13T08:38:39.000Z",
    },
    packages: input.verdicts.map((verdicts) => ({ verdicts: verdicts.map(([mirrorId, status]) => ({ mirrorId, status })) })),
  } as unknown as AdvisoryDetailResponse;
}

describe("describeAdvisory", () => {
  it("says what it is, when it came out and where it is late before where it arrived, a mirror by its worst package", () => {
    const detail = advisoryDetail({
      verdicts: [
        [
          ["git.centos.org", "missing"],
          ["almalinux-errata", "published"],
          ["rocky-errata", "published"],
          ["openela", "not_applicable"],
        ],
        [
          ["git.centos.org", "published"],
          ["almalinux-errata", "published"],
          ["rocky-errata", "pending"],
          ["openela", "not_applicable"],
        ],
      ],
    });
    expect(describeAdvisory(detail, MIRRORS)).toBe(
      "Important security advisory released 2023-06-13: firefox security update. " +
        "Missing on git.centos.org; pending on Rocky Linux errata; published on AlmaLinux errata.",
    );
  });

  it("names bug fixes and enhancements as such, cuts a long title and stops after the release when no mirror carries it", () => {
    const detail = advisoryDetail({ type: "bugfix", severity: null, title: "x".repeat(200), verdicts: [[["openela", "not_applicable"]]] });
    const description = describeAdvisory(detail, MIRRORS);
    expect(description).toBe(`Bug fix advisory released 2023-06-13: ${"x".repeat(119)}….`);
  });
});

/** Only what the description reads of a mirror's history. */
function mirrorHistory(majors: unknown[]) {
  return { mirror: { name: "git.centos.org" }, publishing: { majors } } as unknown as MirrorHistoryResponse;
}
const stop = (input: { stoppedAt?: string; lastPublishedAt?: string; releasedSinceCount?: number }) => ({
  stoppedAt: input.stoppedAt ?? null,
  lastPublishedAt: input.lastPublishedAt ?? null,
  releasedSinceCount: input.releasedSinceCount ?? 0,
});

describe("describeMirror", () => {
  it("gives each major's stop with its day and count, else its partial stop, else its last publication", () => {
    const history = mirrorHistory([
      {
        major: 8,
        stop: stop({ stoppedAt: "2023-06-05T10:00:00.000Z", lastPublishedAt: "2023-06-05T10:00:00.000Z", releasedSinceCount: 14 }),
        partialStop: null,
      },
      { major: 9, stop: stop({ lastPublishedAt: "2023-06-20T01:00:00.000Z" }), partialStop: { stoppedPackages: ["kernel", "glibc"] } },
      { major: 10, stop: stop({ lastPublishedAt: "2023-06-21T01:00:00.000Z" }), partialStop: null },
      { major: 7, stop: stop({}), partialStop: null },
    ]);
    expect(describeMirror(history)).toBe(
      "How fast git.centos.org publishes the sources of RHEL updates, and whether it stopped. " +
        "RHEL 8: stopped publishing on 2023-06-05, 14 updates released since, none published. " +
        "RHEL 9: stopped publishing 2 packages while others keep arriving. " +
        "RHEL 10: last published 2023-06-21. " +
        "RHEL 7: nothing published yet.",
    );
  });
});
