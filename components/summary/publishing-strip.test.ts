import { describe, expect, it } from "vitest";
import { buildStripPath } from "./publishing-strip";

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
