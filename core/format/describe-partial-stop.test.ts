import { describe, expect, it } from "vitest";
import {
  describePartialStopSentence,
  describePartialStopShare,
  describePartialStopWindow,
  formatPartialStopLag,
  joinNames,
  type PartialStopNumbers,
} from "./describe-partial-stop";

const numbers = (): PartialStopNumbers => ({
  windowSize: 20,
  publishedInWindow: 4,
  baselineSize: 20,
  publishedInBaseline: 19,
  normalLagHours: 31,
  stoppedPackages: ["bash", "curl"],
  keptPackages: ["firefox", "thunderbird"],
});

describe("describePartialStopShare", () => {
  it("words the rule's numbers the way every renderer shows them", () => {
    expect(describePartialStopShare(numbers(), 8)).toBe("published 4 of the last 20 RHEL 8 updates (normally 19 of 20)");
    expect(describePartialStopSentence("OpenELA", numbers(), 9)).toBe(
      "OpenELA published 4 of the last 20 RHEL 9 updates (normally 19 of 20).",
    );
    expect(
      describePartialStopShare({ ...numbers(), windowSize: 1, publishedInWindow: 0, baselineSize: 0, publishedInBaseline: 0 }, 8),
    ).toBe("published 0 of the last 1 RHEL 8 update");
  });

  it("says the normal lag as the pages do", () => {
    expect(formatPartialStopLag(numbers())).toBe("1 d 7 h");
    expect(describePartialStopWindow(numbers())).toBe(
      "Counted: the last 20 updates older than the mirror's normal lag (1 d 7 h), against the 20 before them.",
    );
  });

  it("joins names, all of them or capped with +N more", () => {
    expect(joinNames(["bash", "curl", "zlib"])).toBe("bash, curl, zlib");
    expect(joinNames(["bash", "curl", "zlib"], 2)).toBe("bash, curl +1 more");
    expect(joinNames([])).toBe("none");
  });
});
