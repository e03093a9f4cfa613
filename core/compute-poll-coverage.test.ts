import { describe, expect, it } from "vitest";
import { computePollCoverage, type PollAttempt } from "./compute-poll-coverage";

const now = new Date("2023-06-20T05:30:00Z");
const run = (startedAt: string, outcome: PollAttempt["outcome"]): PollAttempt => ({ startedAt: new Date(startedAt), outcome });

describe("computePollCoverage", () => {
  it("ends with the hour holding now and starts bucketCount - 1 hours before", () => {
    const cells = computePollCoverage([], { now, unit: "hour", bucketCount: 6 });
    expect(cells.map((cell) => cell.startAt.toISOString().slice(11, 16))).toEqual(["00:00", "01:00", "02:00", "03:00", "04:00", "05:00"]);
    expect(cells.at(-1)!.endAt.toISOString()).toBe("2023-06-20T06:00:00.000Z");
  });

  it("marks an hour without any poll as a gap, never as ok", () => {
    const cells = computePollCoverage([run("2023-06-20T03:10:00Z", "success")], { now, unit: "hour", bucketCount: 6 });
    expect(cells.map((cell) => cell.status)).toEqual(["gap", "gap", "gap", "ok", "gap", "gap"]);
  });

  it.each([
    ["ok with a success", ["success"], "ok"],
    ["ok with a partial success", ["partial"], "ok"],
    ["ok when one of several polls succeeded", ["failed", "success", "failed"], "ok"],
    ["failing when every poll failed", ["failed", "failed"], "failing"],
    ["a gap when the only poll is still running", ["running"], "gap"],
  ] as const)("counts an hour as %s", (_name, outcomes, expected) => {
    const runs = outcomes.map((outcome, index) => run(`2023-06-20T04:${String(10 + index).padStart(2, "0")}:00Z`, outcome));
    const cell = computePollCoverage(runs, { now, unit: "hour", bucketCount: 2 })[0];
    expect(cell.status).toBe(expected);
    expect(cell.successCount + cell.failureCount).toBe(outcomes.filter((outcome) => outcome !== "running").length);
  });

  it("groups by UTC day and ignores polls outside the window or after now", () => {
    const runs = [
      run("2023-06-17T23:59:00Z", "success"),
      run("2023-06-18T00:00:00Z", "failed"),
      run("2023-06-19T12:00:00Z", "success"),
      run("2023-06-20T06:00:00Z", "success"),
    ];
    const cells = computePollCoverage(runs, { now, unit: "day", bucketCount: 3 });
    expect(cells.map((cell) => [cell.startAt.toISOString().slice(0, 10), cell.status])).toEqual([
      ["2023-06-18", "failing"],
      ["2023-06-19", "ok"],
      ["2023-06-20", "gap"],
    ]);
  });
});
