import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { MirrorPublishingStrip } from "@/contract/summary-dto";
import { buildStripPath, describePublishingStrip, PublishingCell } from "./publishing-strip";

describe("buildStripPath", () => {
  it("draws a dot for a day without publications, a bar scaled to the busiest day, and nothing for a gap", () => {
    const { idle, bars } = buildStripPath([0, null, 40, 20, 1], 40);
    expect(idle).toBe("M0 19h2v1h-2z");
    // Day 2: the full 20 units; day 3: half; day 4: a fortieth, raised to the 3-unit minimum so it stays visible.
    expect(bars).toBe("M6 0h2v20h-2zM9 10h2v10h-2zM12 17h2v3h-2z");
  });

  it("draws nothing for days we did not poll", () => {
    expect(buildStripPath([null, null], 1)).toEqual({ idle: "", bars: "" });
  });
});

describe("PublishingCell", () => {
  const strip = (overrides: Partial<MirrorPublishingStrip>): MirrorPublishingStrip => ({
    lastPublishedAt: "2023-06-05T14:00:00.000Z",
    isLastPublishedLowerBound: false,
    stoppedSince: null,
    stopAlertId: null,
    days: [null, 0, 2],
    ...overrides,
  });
  const textOf = (value: MirrorPublishingStrip) =>
    renderToStaticMarkup(createElement(PublishingCell, { strip: value }))
      .replace(/<[^>]+>/g, " ")
      .replace(/\s+/g, " ");

  it("says the day of the last publication, and 'after' it when that is the release of an update it had before we looked", () => {
    expect(textOf(strip({}))).toContain("last published 2023-06-05");
    expect(textOf(strip({ isLastPublishedLowerBound: true }))).toContain("last published after 2023-06-05");
    expect(describePublishingStrip(strip({ isLastPublishedLowerBound: true }))).toBe(
      "2 updates published in the last 3 days, the last after 2023-06-05; 1 day without our polling",
    );
    expect(textOf(strip({ lastPublishedAt: null }))).toContain("last published never");
  });
});
